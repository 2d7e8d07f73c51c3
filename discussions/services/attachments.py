"""Attachments on threads and replies. (Placeholder: filled in by the attachments work.)"""
