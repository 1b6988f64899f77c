"""The bundled program's entry point: the same command line as `volunteerdesk`."""

import multiprocessing
import sys

from volunteerdesk.launch import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
