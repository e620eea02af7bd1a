"""What every document we produce shares: site text kept as text, sanitized HTML, safe PDFs."""
