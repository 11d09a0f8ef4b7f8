#!/usr/bin/env python
from parindex.cli import main

if __name__ == "__main__":
    main()
