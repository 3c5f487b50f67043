"""`python -m bench`: every benchmark, one after another."""

from bench import cold_start

raise SystemExit(cold_start.main())
