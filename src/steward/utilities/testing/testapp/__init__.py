"""A tiny app installed only under test, to exercise framework features no domain model uses yet."""
