import sys

from policypress.cli import main

sys.exit(main())
