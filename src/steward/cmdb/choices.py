from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices, Criticality  # noqa: F401 - shared scale, re-exported


class LifecycleStatus(ColourChoices):
    PLANNED = "planned", _("Planned")
    ORDERED = "ordered", _("Ordered")
    IN_STOCK = "in_stock", _("In stock")
    IN_USE = "in_use", _("In use")
    MAINTENANCE = "maintenance", _("Maintenance")
    RETIRED = "retired", _("Retired")
    DISPOSED = "disposed", _("Disposed")
    __colours__ = {
        "planned": "purple",
        "ordered": "indigo",
        "in_stock": "cyan",
        "in_use": "green",
        "maintenance": "yellow",
        "retired": "secondary",
        "disposed": "dark",
    }


class Environment(ColourChoices):
    PRODUCTION = "production", _("Production")
    TEST = "test", _("Test")
    DEVELOPMENT = "development", _("Development")
    __colours__ = {"production": "red", "test": "orange", "development": "blue"}


class Airflow(ColourChoices):
    FRONT_TO_REAR = "front-to-rear", _("Front to rear")
    REAR_TO_FRONT = "rear-to-front", _("Rear to front")
    LEFT_TO_RIGHT = "left-to-right", _("Left to right")
    RIGHT_TO_LEFT = "right-to-left", _("Right to left")
    SIDE_TO_REAR = "side-to-rear", _("Side to rear")
    REAR_TO_SIDE = "rear-to-side", _("Rear to side")
    BOTTOM_TO_TOP = "bottom-to-top", _("Bottom to top")
    TOP_TO_BOTTOM = "top-to-bottom", _("Top to bottom")
    PASSIVE = "passive", _("Passive")
    MIXED = "mixed", _("Mixed")


class ImpactDirection(ColourChoices):
    DOWNSTREAM = "downstream", _("Downstream (what it depends on)")
    UPSTREAM = "upstream", _("Upstream (what depends on it)")
    BOTH = "both", _("Both")


#: Active ISO 4217 currency codes (2024 list, funds and precious metals left out).
ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN
    BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW
    KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD
    NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
    SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED
    VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()  # noqa: SIM905 - a readable block of codes
)


class Ecosystem(ColourChoices):
    """Where a software product's versions come from; decides how versions are ordered."""

    DEBIAN = "deb", _("Debian package")
    RPM = "rpm", _("RPM package")
    PYPI = "pypi", _("Python (PyPI)")
    NPM = "npm", _("npm")
    MAVEN = "maven", _("Maven")
    GOLANG = "golang", _("Go module")
    CARGO = "cargo", _("Rust crate")
    GEM = "gem", _("Ruby gem")
    NUGET = "nuget", _("NuGet")
    GENERIC = "generic", _("Other software")
    __colours__ = {
        "deb": "red",
        "rpm": "orange",
        "pypi": "blue",
        "npm": "pink",
        "maven": "purple",
        "golang": "cyan",
        "cargo": "yellow",
        "gem": "red",
        "nuget": "indigo",
        "generic": "secondary",
    }


class InstallationSource(ColourChoices):
    """What told us a package is installed on an item."""

    AGENT = "agent", _("Discovery agent")
    FUSIONINVENTORY = "fusioninventory", _("FusionInventory / GLPI agent")
    NMAP = "nmap", _("Network scan")
    IMPORT = "import", _("Import")
    MANUAL = "manual", _("Manual")
    __colours__ = {
        "agent": "green",
        "fusioninventory": "teal",
        "nmap": "cyan",
        "import": "blue",
        "manual": "secondary",
    }
