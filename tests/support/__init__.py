"""What several test files share: helpers, programs, lists (imported as
`support.NAME`; tests/ is on the path through tests/conftest.py). No file
here is named test_*, so pytest collects none of them."""
