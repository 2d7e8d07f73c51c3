"""The facilitator console: a community's health at a glance, what needs attention,
and the one- or two-tap actions that answer it, with guidance for the community's stage.

Read side: `selectors/` (health, attention, participation, overview) shown by
`views/console.py`. Act side: `services/` (seed templates, notes, nudges, asks,
playbook) called by `views/act.py`. Who may do what: `permissions.py`.
"""
