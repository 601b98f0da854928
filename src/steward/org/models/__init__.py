from steward.org.models.organisation import Department, Location, Organisation
from steward.org.models.people import Person, Team

__all__ = ["Department", "Location", "Organisation", "Person", "Team"]
