"""Ideas, the technology radar, pilots and organisational change plans."""
