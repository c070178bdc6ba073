"""What partnerships do together: activities (TeachMeets, CPD, pupil activities, placement
swaps), bookings, waitlists, attendance, evaluations, case studies and school-to-school support.

It keeps its own copy of partnerships, schools and people from membership's events."""
