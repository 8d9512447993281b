"""Wire datelines opening a sentence."""

from __future__ import annotations

import pytest

from newsweave.dateline import dateline_end


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("LONDON (AP) _ British police said Saturday they arrested him.", "British police"),
        ("SANTIAGO, Chile _ Perhaps as a sign of how much Chileans wish", "Perhaps as"),
        ("LONDON (Reuters) - U.S. retailer Michael Kors agreed to buy it.", "U.S. retailer"),
        ("NEW YORK — President Donald Trump is learning a lesson.", "President"),
        ("OTTAWA -- Liberal MP Mauril Belanger is losing his voice.", "Liberal MP"),
        ("AIDS — the disease that killed millions — is still spreading.", None),
        ("US - China trade war escalates as new tariffs hit.", None),
        # a plain hyphen after a place: after a region, or before a clear start
        # (Multi-News val-050, val-013, val-180)
        ("DETROIT - A Wayne State University police officer has died.", "A Wayne"),
        ("ALLENTOWN, Pa. - The Lehigh County Humane Society came.", "The Lehigh"),
        ("MADISON COUNTY, Ala. - Authorities from the Sheriff's Office came.", "Authorities"),
        ("NATO - Russia council met on Monday in Brussels.", None),
        ("U.S. - China trade talks resume in Beijing on Monday.", None),
        # an agency alone, "--" touching, an agency between two, a two-letter
        # first word (Multi-News val-234, val-074, val-245, val-142, val-060)
        ("(CNN) -- The winter storm system walloped the Midwest.", "The winter"),
        ("(HealthDay)—A little jogging is good for your health.", "A little"),
        ("HIROSHIMA--A stray dog that escaped being euthanized helped.", "A stray"),
        ("SAN FRANCISCO--(BUSINESS WIRE)--The following statement is issued.", "The following"),
        ("FT LAUDERDALE (CBSMiami) – A man suspected of robbing stores.", "A man"),
        ("(Aakash) - I'm a member of the community supporting this cause.", None),
        ("NATO--Russia council met on Monday in Brussels.", None),
        ('AP - "confirmed death toll passed 121,000, and 5 million people"', None),
        ("WASHINGTON—The chairman of the committee promised a review.", "The chairman"),
        ("NEW YORK, May 18 (UPI) -- Crayola is warning against it.", "Crayola"),
        ("FLORENCE, Italy, Feb. 25 (UPI) -- Raffaele Sollecito stood by her.", "Raffaele"),
        ("NATO—Russia council met on Monday in Brussels.", None),
        ("BEIJING (AP) _ Short one.", None),  # too little left
        ("The LONDON (AP) _ form must open the sentence.", None),
        # a dash left where the source cut its dateline off (Multi-News val-064,
        # val-067, val-096), only before a clear sentence start: not a quote's
        # attribution, a name, a lowercase aside or a rule of dashes
        ("— For years, the weather has been a scapegoat for spikes in births.", "For years"),
        ("— A judge’s act of compassion has a former soldier promising more.", "A judge"),
        ("- Our annual database of state salaries was recently updated.", "Our annual"),
        ("-- The council voted on Monday to close the old bridge.", "The council"),
        ("— Julie Bowen, asked where she is going to put her statuette.", None),
        ("— the disease that killed millions — is still spreading.", None),
        ("- - - - - - - - - - - - - - - - - - - - - - - - - - -", None),
        # CNN's agency tag without a dash (Multi-News val-050, val-134, val-142, val-163)
        ("(CNN) A Detroit man pleaded not guilty Friday to murder charges.", "A Detroit"),
        ("(CNN)Your favorite fitness tracker may not be totally accurate.", "Your favorite"),
        ("(Aakash) I'm a member of the community supporting this cause.", None),
        ("(CNN) and Fox News both carried the speech live on Tuesday.", None),
    ],
)
def test_dateline_end(text, body):
    cut = dateline_end(text)
    assert (text[cut:].startswith(body) and cut > 0) if body else cut == 0
