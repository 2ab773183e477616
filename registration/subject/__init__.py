"""Data-subject rights: the access report for a household, and anonymisation after retention."""
