"""A person's data across every app: export it, delete the account; and the whole site's data:
backup, restore, integrity. It sits above every app (docs/architecture.md), so it may read them all."""
