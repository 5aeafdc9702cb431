"""Simulate referrals and their pathways (vectorised with numpy).

Everything here is the *true* history of each referral; ``submissions.py`` turns it into
monthly files (snapshots and increments) as providers would send them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import codes
from .commissioners import CommissionerPlan
from .config import Calendar

NO_DAY = np.iinfo(np.int32).max  # "never" (e.g. still open)


def _choice(rng: np.random.Generator, n: int, p: np.ndarray | list[float]) -> np.ndarray:
    """Indices 0..len(p)-1 drawn with probabilities p (normalised)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int16)


def _group_positions(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of the given sizes: the group index and the position within it per item."""
    owner = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    pos = np.arange(owner.size) - np.repeat(starts, counts)
    return owner, pos


def _group_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sum of values restarting at every group."""
    total = np.cumsum(values)
    ends = np.cumsum(counts)
    before = np.concatenate([[0], total[ends[:-1] - 1]]) if counts.size else total[:0]
    # groups of size 0 contribute nothing; repeat handles them
    return total - np.repeat(before, counts)


@dataclass
class Referrals:
    provider: np.ndarray  # int16 index into provider list
    ref_day: np.ndarray  # int64
    patient: np.ndarray  # int64 (global patient number)
    age: np.ndarray
    source: np.ndarray  # index into codes.SOURCE
    comm_pct: np.ndarray  # index into PCT list, -1 null, -2 unknown code
    comm_ccg: np.ndarray  # index into CCG list, -1 null, -2 unknown code
    disch_day: np.ndarray  # NO_DAY while open
    end_code: np.ndarray  # int16 index into ALL_END_CODES
    gender: np.ndarray  # per patient (indexed by patient)
    ethnic: np.ndarray
    lsoa: np.ndarray  # LSOA number, 0 = null


@dataclass
class Contacts:
    ref: np.ndarray
    day: np.ndarray
    app_type: np.ndarray  # index into APP_TYPES
    attend: np.ndarray  # index into ATTEND_CODES
    mech: np.ndarray
    therapy: np.ndarray  # index into THERAPY_CODES, -1 null


@dataclass
class Scores:
    ref: np.ndarray
    contact: np.ndarray  # contact number, -1 null
    tool: np.ndarray  # index into codes.TOOL_CODES
    score: np.ndarray  # float
    day: np.ndarray


@dataclass
class Complaints:
    ref: np.ndarray
    code: np.ndarray  # index into codes.COMPLAINT_CODES
    sig: np.ndarray  # 1 or 2
    day: np.ndarray


@dataclass
class Employment:
    ref: np.ndarray  # referral (for provider and patient)
    day: np.ndarray
    status: np.ndarray
    ssp: np.ndarray
    benefit: np.ndarray


@dataclass
class World:
    referrals: Referrals
    contacts: Contacts
    scores: Scores
    complaints: Complaints
    employment: Employment


APP_TYPES = ["01", "02", "03", "04", "05", "06"]
ATTEND_CODES = codes.ATTEND_OK + codes.ATTEND_NO
THERAPY_CODES = codes.LOW_INTENSITY + codes.HIGH_INTENSITY + [codes.EMPLOYMENT_SUPPORT]
ALL_END_CODES = [codes.END_NOT_ASSESSED, *codes.END_SEEN_NOT_TREATED, *codes.END_TREATED]


def _gamma_days(rng: np.random.Generator, n: int, shape: float, scale: float) -> np.ndarray:
    return np.rint(rng.gamma(shape, scale, n)).astype(np.int64)


def simulate(
    rng: np.random.Generator,
    cal: Calendar,
    n_referrals: int,
    n_providers: int,
    pct_plan: CommissionerPlan,
    ccg_plan: CommissionerPlan,
) -> World:
    r = n_referrals
    # ---- providers: unequal sizes; commissioners from each era's plan
    size = rng.lognormal(0.0, 0.6, n_providers)
    provider = _choice(rng, r, size)
    ref_day = cal.first_day + np.floor(rng.random(r) * (cal.last_day - cal.first_day + 1))
    ref_day = ref_day.astype(np.int64)
    order = np.lexsort((rng.random(r), ref_day))
    provider, ref_day = provider[order], ref_day[order]

    # ---- patients: ~7% of referrals are re-referrals of an earlier patient of the provider
    patient = np.arange(r, dtype=np.int64)
    by_prov = np.lexsort((np.arange(r), provider))
    pos_in_prov = np.empty(r, dtype=np.int64)
    counts = np.bincount(provider, minlength=n_providers)
    _, pos_sorted = _group_positions(counts)
    pos_in_prov[by_prov] = pos_sorted
    back = rng.integers(20, 2000, r)
    rerefer = (rng.random(r) < 0.07) & (pos_in_prov >= back)
    src_sorted_pos = np.searchsorted(np.cumsum(counts) - counts, provider)  # provider start
    src = by_prov[np.clip(src_sorted_pos + pos_in_prov - back, 0, r - 1)]
    patient = np.where(rerefer, src, patient)
    for _ in range(20):  # resolve chains to the root patient
        nxt = patient[patient]
        if np.array_equal(nxt, patient):
            break
        patient = nxt

    gender = _choice(rng, r, codes.GENDER_P)
    ethnic = _choice(rng, r, codes.ETHNIC_P)
    lsoa = rng.integers(1, 32845, r) * (rng.random(r) > 0.03)
    age = np.clip(np.rint(rng.gamma(5.5, 7.5, r) + 14), 16, 98).astype(np.int64)
    source = _choice(rng, r, codes.SOURCE_P)

    def commissioners(plan: CommissionerPlan) -> np.ndarray:
        comm = plan.assign(provider, rng.random(r))
        # the draws of the retired "3% from anywhere" rule: still taken so that every later
        # draw, hence every other column, is as before
        rng.random(r)
        rng.integers(0, plan.n_codes, r)
        u = rng.random(r)
        comm = np.where(u < 0.007, -1, comm)  # null commissioner
        return np.where((u >= 0.007) & (u < 0.010), -2, comm)  # unknown code

    comm_pct = commissioners(pct_plan)
    comm_ccg = commissioners(ccg_plan)

    # ---- pathway shape
    u = rng.random(r)
    no_contact = u < 0.10
    attempts = np.where(no_contact, 0, 1 + (rng.random(r) < 0.15) + (rng.random(r) < 0.05))
    assessed = ~no_contact & (rng.random(r) < 0.93)
    to_treatment = assessed & (rng.random(r) < 0.86)
    combined = to_treatment & (rng.random(r) < 0.35)
    high = rng.random(r) < 0.40
    # planned treatment appointments after assessment (a Poisson-ish spread; some stop after 1)
    one_only = rng.random(r) < 0.47
    planned = np.where(one_only, 1, 2 + rng.negative_binomial(2, np.where(high, 0.16, 0.27), r))
    planned = np.minimum(planned, 30)
    t_slots = np.where(to_treatment, planned - combined.astype(np.int64), 0)
    t_slots = np.maximum(t_slots, 0)
    followup = to_treatment & (planned >= 2) & (rng.random(r) < 0.06)
    n_slots = attempts + t_slots + followup
    owner, pos = _group_positions(n_slots)
    a_n = attempts[owner]
    is_assess = pos < a_n
    is_follow = followup[owner] & (pos == n_slots[owner] - 1)
    is_treat = ~is_assess & ~is_follow
    last_assess = pos == a_n - 1
    m = owner.size

    # attendance: assessment attempts fail before the last; the last attended if assessed
    attended = np.where(
        is_assess,
        last_assess & assessed[owner],
        rng.random(m) < np.where(is_follow, 0.85, 0.80),
    )
    # last treatment slot of a referral is attended (a course ends with a session)
    last_treat = is_treat & (pos == a_n + t_slots[owner] - 1)
    attended = attended | last_treat

    # intervals between slots
    long_wait = rng.random(r) < 0.05
    wait_a = np.where(
        long_wait, _gamma_days(rng, r, 2.0, 35.0), _gamma_days(rng, r, 1.4, 4.5)
    ) + rng.integers(0, 3, r)
    gap_t = np.where(combined, 0, 1 + _gamma_days(rng, r, 1.2, 4.5))
    interval = np.where(
        pos == 0,
        wait_a[owner],
        np.where(
            is_assess,
            5 + _gamma_days(rng, m, 2.0, 4.0),
            np.where(
                pos == a_n,
                gap_t[owner] + np.where(combined[owner], 7, 0),
                np.where(is_follow, 28 + rng.integers(0, 35, m), 0),
            ),
        ),
    )
    weekly = np.where(rng.random(m) < 0.75, 7, np.where(rng.random(m) < 0.6, 14, 0))
    weekly = np.where(weekly == 0, 3 + rng.integers(0, 19, m), weekly)
    weekly = weekly + rng.integers(-1, 2, m)
    interval = np.where(is_treat & (pos > a_n), np.maximum(weekly, 1), interval)
    offset = _group_cumsum(interval, n_slots)
    day = ref_day[owner] + offset

    # app types
    app = np.where(is_assess, 0, np.where(is_follow, 5, 1)).astype(np.int16)
    # a combined first contact is coded 03 (assessment and treatment) or just 02
    coded_03 = rng.random(r) < 0.4
    app = np.where(is_assess & last_assess & combined[owner], np.where(coded_03[owner], 2, 1), app)
    rv = rng.random(m)
    app = np.where(is_treat & (pos > a_n) & (rv < 0.06), 4, app)  # review and treatment
    app = np.where(is_treat & (pos > a_n) & (rv > 0.975) & ~last_treat, 3, app)  # review only

    attend = np.where(
        attended,
        _choice(rng, m, codes.ATTEND_OK_P),
        len(codes.ATTEND_OK) + _choice(rng, m, codes.ATTEND_NO_P),
    ).astype(np.int16)
    mech = _choice(rng, m, codes.CONS_MECH_P)

    # therapy types: one low- or high-intensity type per referral; 10% of low step up
    low_t = _choice(rng, r, codes.LOW_INTENSITY_P)
    high_t = len(codes.LOW_INTENSITY) + _choice(rng, r, codes.HIGH_INTENSITY_P)
    stepped = ~high & (rng.random(r) < 0.10)
    treat_no = pos - a_n
    therapy = np.where(high[owner], high_t[owner], low_t[owner])
    therapy = np.where(stepped[owner] & (treat_no >= 4), high_t[owner], therapy)
    therapy = np.where(rng.random(m) < 0.01, len(THERAPY_CODES) - 1, therapy)
    is_treat_app = np.isin(app, [1, 2, 4])
    therapy = np.where(is_treat_app & attended, therapy, -1).astype(np.int16)

    # ---- outcome per referral
    att_treat = np.bincount(owner, weights=(is_treat_app & attended), minlength=r)
    last_day = np.full(r, -1, dtype=np.int64)
    np.maximum.at(last_day, owner, day)
    disch = np.where(
        n_slots == 0,
        ref_day + 10 + _gamma_days(rng, r, 1.5, 25.0),
        last_day
        + np.where(att_treat > 0, 1 + _gamma_days(rng, r, 1.0, 6.0), 7 + rng.integers(0, 22, r)),
    )
    end_group = np.where(att_treat >= 2, 2, np.where(att_treat == 1, 3, np.where(assessed, 1, 0)))
    n_snt = len(codes.END_SEEN_NOT_TREATED)
    end_snt = 1 + _choice(rng, r, codes.END_SEEN_NOT_TREATED_P)
    end_fin = 1 + n_snt + _choice(rng, r, codes.END_TREATED_FINISHED_P)
    end_one = 1 + n_snt + _choice(rng, r, codes.END_TREATED_ONE_P)
    end_code = np.select(
        [end_group == 0, end_group == 1, end_group == 2], [0, end_snt, end_fin], end_one
    )
    still_open = disch > cal.last_day
    disch = np.where(still_open, NO_DAY, disch)
    end_code = np.where(still_open, -1, end_code).astype(np.int16)

    referrals = Referrals(
        provider=provider,
        ref_day=ref_day,
        patient=patient,
        age=age,
        source=source,
        comm_pct=comm_pct,
        comm_ccg=comm_ccg,
        disch_day=disch,
        end_code=end_code,
        gender=gender,
        ethnic=ethnic,
        lsoa=lsoa,
    )
    assess_day = np.full(r, NO_DAY, dtype=np.int64)
    first_att = is_assess & attended
    np.minimum.at(assess_day, owner[first_att], day[first_att])
    treated_att = is_treat_app & attended
    complaints, adsm = _complaints(rng, ref_day, assess_day, owner, day, treated_att)

    keep = day <= cal.last_day
    contacts = Contacts(
        ref=owner[keep],
        day=day[keep],
        app_type=app[keep],
        attend=attend[keep],
        mech=mech[keep],
        therapy=therapy[keep],
    )
    contact_no = np.cumsum(keep) - 1
    scored = attended & np.isin(app, [0, 1, 2, 4, 5])
    scores = _scores(rng, owner, day, scored, is_follow, is_assess, adsm, contact_no, keep, r)
    employment = _employment(rng, assess_day, owner, day, treated_att, att_treat)
    return World(
        referrals,
        contacts,
        scores,
        _keep_complaints(complaints, cal.last_day),
        _keep_employment(employment, cal.last_day),
    )


def _complaints(
    rng: np.random.Generator,
    ref_day: np.ndarray,
    assess_day: np.ndarray,
    owner: np.ndarray,
    day: np.ndarray,
    treated_att: np.ndarray,
) -> tuple[Complaints, np.ndarray]:
    """Primary (and sometimes secondary) complaint at assessment; a few re-coded later."""
    r = ref_day.size
    n_codes = len(codes.COMPLAINT_CODES)
    primary = _choice(rng, r, codes.COMPLAINT_P)
    assessed = assess_day < NO_DAY
    recorded = np.where(assessed, rng.random(r) < 0.96, rng.random(r) < 0.30)
    rec_day = np.where(assessed, assess_day, ref_day)
    secondary = recorded & (rng.random(r) < 0.20)
    sec_code = (primary + 1 + rng.integers(0, n_codes - 1, r)) % n_codes
    # re-coding at the third attended treatment contact
    t_rank = _group_cumsum(treated_att.astype(np.int64), np.bincount(owner, minlength=r))
    third = treated_att & (t_rank == 3)
    third_day = np.full(r, NO_DAY, dtype=np.int64)
    third_day[owner[third]] = day[third]
    recode = recorded & (third_day < NO_DAY) & (rng.random(r) < 0.08)
    new_code = (primary + 1 + rng.integers(0, n_codes - 1, r)) % n_codes
    idx = np.arange(r)
    parts = [
        (idx[recorded], primary[recorded], 1, rec_day[recorded]),
        (idx[secondary], sec_code[secondary], 2, rec_day[secondary]),
        (idx[recode], new_code[recode], 1, third_day[recode]),
    ]
    ref = np.concatenate([p[0] for p in parts])
    code = np.concatenate([p[1] for p in parts]).astype(np.int16)
    sig = np.concatenate([np.full(p[0].size, p[2], dtype=np.int8) for p in parts])
    cday = np.concatenate([p[3] for p in parts])
    order = np.lexsort((sig, cday, ref))
    final_code = np.where(recode, new_code, primary)
    adsm_of_code = np.array(
        [codes.TOOL_CODES.index(a) if a else -1 for a in codes.COMPLAINT_ADSM], dtype=np.int16
    )
    adsm = np.where(recorded, adsm_of_code[final_code], -1)
    return Complaints(ref[order], code[order], sig[order], cday[order]), adsm


def _keep_complaints(c: Complaints, last_day: int) -> Complaints:
    k = c.day <= last_day
    return Complaints(c.ref[k], c.code[k], c.sig[k], c.day[k])


def _scores(
    rng: np.random.Generator,
    owner: np.ndarray,
    day: np.ndarray,
    scored: np.ndarray,
    is_follow: np.ndarray,
    is_assess: np.ndarray,
    adsm: np.ndarray,
    contact_no: np.ndarray,
    keep: np.ndarray,
    r: int,
) -> Scores:
    """PHQ-9, GAD-7 and ADSM scores at attended assessment/treatment contacts.

    Each referral has a baseline severity (as a multiple of the caseness threshold) and an
    improvement; scores move from baseline to the end value over the scored contacts.
    """
    z = rng.standard_normal(r)
    dep0 = np.exp(np.log(1.38) + 0.40 * (0.7 * z + 0.71 * rng.standard_normal(r)))
    anx0 = np.exp(np.log(1.55) + 0.38 * (0.7 * z + 0.71 * rng.standard_normal(r)))
    f = rng.normal(0.53, 0.48, r)
    dep1 = dep0 * (1 - (f + rng.normal(0, 0.15, r)))
    anx1 = anx0 * (1 - (f + rng.normal(0, 0.15, r)))
    counts = np.bincount(owner[scored], minlength=r)
    rank = _group_cumsum(scored.astype(np.int64), np.bincount(owner, minlength=r)) - 1
    s_owner = owner[scored]
    progress = np.where(counts[s_owner] > 1, rank[scored] / np.maximum(counts[s_owner] - 1, 1), 0.0)
    progress = np.where(is_follow[scored], 1.0, progress)
    s_keep = keep[scored]
    s_day = day[scored]
    s_contact = contact_no[scored]
    m = s_owner.size
    out_ref, out_contact, out_tool, out_score, out_day = [], [], [], [], []

    def add(tool_idx: np.ndarray, ratio: np.ndarray, present: np.ndarray) -> None:
        sel = present & s_keep
        tools = np.asarray(tool_idx)[sel] if np.ndim(tool_idx) else np.full(sel.sum(), tool_idx)
        lo = np.array([codes.QUESTIONNAIRES[codes.TOOL_CODES[t]][0] for t in range(8)])
        hi = np.array([codes.QUESTIONNAIRES[codes.TOOL_CODES[t]][1] for t in range(8)])
        thr = np.array([codes.QUESTIONNAIRES[codes.TOOL_CODES[t]][2] for t in range(8)])
        integer = np.array([codes.QUESTIONNAIRES[codes.TOOL_CODES[t]][3] for t in range(8)])
        val = np.clip(ratio[sel] * thr[tools], lo[tools], hi[tools])
        val = np.where(integer[tools], np.rint(val), np.round(val, 2))
        out_ref.append(s_owner[sel])
        out_contact.append(np.where(rng.random(sel.sum()) < 0.02, -1, s_contact[sel]))
        out_tool.append(tools.astype(np.int16))
        out_score.append(val)
        out_day.append(s_day[sel])

    noise = 0.09
    dep = dep0[s_owner] + (dep1[s_owner] - dep0[s_owner]) * progress
    anx = anx0[s_owner] + (anx1[s_owner] - anx0[s_owner]) * progress
    add(0, dep + rng.normal(0, noise, m), rng.random(m) < 0.97)
    add(1, anx + rng.normal(0, noise, m), rng.random(m) < 0.97)
    has_adsm = adsm[s_owner] >= 0
    add(
        np.maximum(adsm[s_owner], 0),
        anx + rng.normal(0, noise, m),
        has_adsm & (rng.random(m) < 0.85),
    )
    # WSAS items (not outcome measures) at some assessments
    wsas = is_assess[scored] & (rng.random(m) < 0.3) & s_keep
    w_idx = np.flatnonzero(wsas)
    for k in range(len(codes.WSAS_ITEMS)):
        out_ref.append(s_owner[w_idx])
        out_contact.append(s_contact[w_idx])
        out_tool.append(np.full(w_idx.size, 8 + k, dtype=np.int16))
        out_score.append(rng.integers(0, 9, w_idx.size).astype(float))
        out_day.append(s_day[w_idx])
    return Scores(
        ref=np.concatenate(out_ref),
        contact=np.concatenate(out_contact),
        tool=np.concatenate(out_tool),
        score=np.concatenate(out_score),
        day=np.concatenate(out_day),
    )


def _employment(
    rng: np.random.Generator,
    assess_day: np.ndarray,
    owner: np.ndarray,
    day: np.ndarray,
    treated_att: np.ndarray,
    att_treat: np.ndarray,
) -> Employment:
    """A record at assessment and, for most who finish, one at the last session."""
    r = assess_day.size
    last_t = np.full(r, -1, dtype=np.int64)
    np.maximum.at(last_t, owner[treated_att], day[treated_att])
    status = _choice(rng, r, codes.EMPLOY_P)
    employed = status == 0
    out_of_work = np.isin(status, [1, 3, 5])
    u = rng.random(r)
    ssp = np.where(
        employed, np.select([u < 0.12, u < 0.96, u < 0.98], [0, 1, 2], 3), np.where(u < 0.95, 1, 2)
    )
    v = rng.random(r)
    ben = np.where(
        out_of_work,
        np.select([v < 0.62, v < 0.94, v < 0.97], [0, 1, 2], 3),
        np.select([v < 0.03, v < 0.95, v < 0.98], [0, 1, 2], 3),
    )
    start = (assess_day < NO_DAY) & (rng.random(r) < 0.85)
    end = (att_treat >= 2) & (rng.random(r) < 0.75)
    w = rng.random(r)
    status_end = np.where((status == 1) & (w < 0.15), 0, status)
    ssp_end = np.where((ssp == 0) & (rng.random(r) < 0.5), 1, ssp)
    ben_end = np.where((ben == 0) & (rng.random(r) < 0.25), 1, ben)
    idx = np.arange(r)
    return Employment(
        ref=np.concatenate([idx[start], idx[end]]),
        day=np.concatenate([assess_day[start], last_t[end]]),
        status=np.concatenate([status[start], status_end[end]]).astype(np.int16),
        ssp=np.concatenate([ssp[start], ssp_end[end]]).astype(np.int16),
        benefit=np.concatenate([ben[start], ben_end[end]]).astype(np.int16),
    )


def _keep_employment(e: Employment, last_day: int) -> Employment:
    k = e.day <= last_day
    return Employment(e.ref[k], e.day[k], e.status[k], e.ssp[k], e.benefit[k])
