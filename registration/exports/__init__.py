"""Person and household list exports: a stated purpose, fields by role, audited, streamed."""
