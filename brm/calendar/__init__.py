"""Calendar files and invitations: iCalendar (RFC 5545) events, iTIP (RFC 5546) emails, feeds.

A core block: meetings send their invitations through it and communications their maintenance
windows; it knows nothing about either. No models, so no app: nothing here needs INSTALLED_APPS.

  * `ics.CalendarEvent`, `ics.event_uid`, `ics.calendar_bytes`, `ics.feed_bytes`: the files;
  * `itip.itip_email`: an invitation or a cancellation queued in the outbox.
"""
