"""Messages to staff and counties: channels, reminders and the escalation ladder."""
