import sys

from steward.agent.main import main

sys.exit(main())
