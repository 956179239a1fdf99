"""Calendar feeds: street dates and asset due dates as a private iCalendar URL per person."""
