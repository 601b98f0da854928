from steward.org.models.calendars import BusinessCalendar, CalendarDate
from steward.org.models.organisation import Department, Location, Organisation
from steward.org.models.people import Person, Team

__all__ = ["BusinessCalendar", "CalendarDate", "Department", "Location", "Organisation", "Person", "Team"]
