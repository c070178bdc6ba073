"""Partnerships, schools, memberships, people and their roles, and the expertise register."""
