"""The handover checklist: definitions, checks against the live site, sign-offs, reports."""
