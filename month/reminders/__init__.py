"""Meeting reminders: an outbox of Reminder rows, planned and sent by Celery tasks."""
