"""Task pages, by what they are for: lists, one task, actions on tasks and cases."""
