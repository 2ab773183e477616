"""Communicating with communities: messages written by staff, checked by a second person, and sent out
through channels (printed notices, the public notice board, SMS, spoken announcements)."""
