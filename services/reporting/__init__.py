"""Read models built only from events, served over HTTP.

Projections of membership's events (the composition: partnerships, memberships, schools, county
officers) and of the events service's (participation: activities, bookings, evaluations,
support, case studies), each a generation of collections kept by its consumer groups; the
history of every record. It is pure projection: `python -m services.reporting.rebuild` replays
the log from offset 0 into a new generation while the service answers from the old one, then
switches over.
"""
