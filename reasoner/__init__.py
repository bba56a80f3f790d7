"""Eligibility and award estimates over a policy graph. Entry point: `reasoner.assess.assess`."""
