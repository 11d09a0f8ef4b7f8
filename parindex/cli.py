"""The ``parindex`` console script: Django's management entry point."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    if sys.argv[1:2] == ["evaluate"]:  # pure computation: no need to set up the apps
        from parindex.results.management.commands.evaluate import run_without_setup

        run_without_setup(sys.argv)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
