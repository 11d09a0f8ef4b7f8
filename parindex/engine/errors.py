"""Errors raised by the engine."""


class EngineError(Exception):
    """Input the engine cannot score (an invariant the caller should have validated)."""


class InputError(EngineError):
    """One or more problems in an evaluation input, each a line naming where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
