"""Activities (TeachMeets, CPD, pupil activities, placement swaps), bookings, waitlists,
attendance, evaluations, case studies and school-to-school support. Not built yet."""
