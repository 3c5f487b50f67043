import sys

from local.stripe.server import main

sys.exit(main())
