"""The front end people use in a browser: server-rendered pages in the GOV.UK Design System's
patterns, calling the services' APIs with the signed-in person's token. It owns no business data.
"""
