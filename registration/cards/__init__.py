"""ID cards: the signed QR token, signing keys, the QR symbol and the card PDF (pure, no Flask, no database)."""
