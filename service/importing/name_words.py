"""The words that make up people's names in minutes: titles, ranks, particles."""

from __future__ import annotations

from service.importing.text import word_set

#: Words that can stand before a name ("Councillor", "Chief Inspector", "Mrs").
TITLE_WORDS = word_set("""
    councillor councillors cllr cllrs mr mrs ms miss mx dr prof professor rev reverend revd
    sir dame lord lady baroness alderman canon father superintendent supt inspector insp
    sergeant sgt constable pc dc ds di dci ci psi pcso chief detective det deputy assistant
    ch mayor police station group area watch fire officer commander the county borough district
    town parish city
    """)
#: Lower-case parts of surnames ("van", "de").
PARTICLES = word_set("de van von der den la le du da di del bin ibn al ap st")
#: Words naming groups, not people ("Officers", "Co-opted Members").
GROUP_WORDS = word_set("""
    officers officer members member councillors partners representatives present apologies
    also co-opted substitute substitutes independent observers attendees guests others
    attendance in officials staff non-voting voting none nil
    """)
#: Words naming organisations, not people ("Ms B Reilly, NHS England": "NHS England" is
#: where she works).
ORGANISATION_WORDS = word_set("""
    nhs england council trust authority board partnership healthwatch ccg icb university
    college ltd limited plc association department directorate service services borough
    county district parish constabulary centre center scotland wales health care team
    """)
#: Words of a job or role, not of a name ("Chief Finance Officer", "Registered Nurse"): a
#: part holding one is a role written beside a name (tables of members and roles).
ROLE_WORDS = word_set("""
    officer director nurse representative practitioner manager role secretary adviser
    advisor governor administrator coordinator co-ordinator facilitator
    """)
#: Titles that start a new name even without a comma before them.
STRONG_TITLES = word_set("""
    councillor councillors cllr cllrs mr mrs ms miss mx dr prof professor rev revd reverend
    sir dame superintendent supt inspector insp sergeant sgt pc dc ds di dci ci pcso
    """)
#: Rank words that belong to the title after them ("Chief" Inspector).
RANK_PREFIXES = word_set(
    "chief detective det deputy assistant police ch county borough district town parish city"
)
#: Words after a name that start a clause about them ("Councillor J Aitman who was …").
CLAUSE_WORDS = word_set("""
    who which whose was were is are had has attended attending gave sent representing
    substituting substituted as due because being for on at with
    """)
#: Offices whose holder may follow in parentheses: "The Mayor (Councillor X)".
OFFICES = word_set("the mayor deputy lord leader chair chairman vice-chair civic head")
#: Councillor prefixes and the singular each gives to the names it covers.
COUNCILLOR_PREFIXES = {
    "councillor": "Councillor",
    "cllr": "Cllr",
    "councillors": "Councillor",
    "cllrs": "Cllr",
}
