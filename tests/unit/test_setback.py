"""The setback rubric on answers written for these tests, in many voices.

Each answer is labelled the way the rubric defines its criteria (brevity, non-defensive tone,
concrete improvement, pivot to strengths): international graduates, career changers, spoken numbers,
subtle blame (passive voice, "they", sarcasm), vague change and answers that end on the setback.
None is taken from the evaluation set; the checks never read shared files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.content.sets import load_content
from interviewcoach.core.errors import DataFileError
from interviewcoach.core.models import Score, Transcript
from interviewcoach.core.scoring.engine import needs_entities, score
from interviewcoach.core.scoring.rubrics import RubricSet, load_rubric

B, T, IMP, P = "brevity", "non_defensive_tone", "improvement_evidence", "pivot_to_strengths"
SETBACK_CRITERIA = (B, T, IMP, P)

# name -> (question id, answer, expected verdicts)
ANSWERS: dict[str, tuple[str, str, dict[str, bool]]] = {
    "img_spoken_all_pass": (
        "low-score",
        "Thank you for asking. I am an international medical graduate, and my Step 1 score was two "
        "hundred and eight. I prepared mostly from textbooks and did very few timed questions, which was "
        "my error. After that, I joined a study group that met three evenings a week, I completed the "
        "UWorld question bank twice, and I sat four NBME self-assessments before Step 2. My Step 2 CK "
        "score was two forty-six. During my observership in interventional radiology in Cleveland, I "
        "helped prepare patients for chemoembolization and presented two cases at the weekly tumor board."
        " I believe that persistence, and what I learned beside those patients, make me ready for "
        "residency.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "career_changer_passive_blame": (
        "low-score",
        "Sure. Before medicine I spent six years as a mechanical engineer, and my Step 1 came back at "
        "219. To be honest, our dedicated period was cut to three weeks halfway through the year, and the"
        " question bank licenses we were promised were never provided by the school. So the score mostly "
        "reflects that. After that I set up a fixed schedule with forty questions a day and a practice "
        "exam every other Sunday, and my Step 2 CK was a 247. In IR I have really enjoyed the device "
        "side, I spent a month on the service and I am working with an attending on a catheter design "
        "project, and I think my engineering background is a real strength in the angio suite.",
        {B: True, T: False, IMP: True, P: True},
    ),
    "sarcasm": (
        "failed-attempt",
        "Yes, I failed Step 1 the first time. Great, another test that defines you, right? I did not do "
        "enough practice questions. For the retake I worked with a tutor twice a week and did a timed "
        "UWorld block every morning, and I passed, then scored a 244 on Step 2 CK. Since then I have done"
        " an IR elective, scrubbed on a few embolizations and started a small QI project on sedation "
        "documentation, and the team said I fit in well. I am excited about the work.",
        {T: False, IMP: True, P: True},
    ),
    "vague_change_with_score": (
        "low-score",
        "My Step 1 was a 214, and I take full responsibility for that, I left too little time for review."
        " After that I changed a lot of things, I studied much more, I was more focused and I really "
        "committed to doing better. My Step 2 CK came back at 240. I also loved my IR rotation, I placed "
        "my first ultrasound-guided IV in the suite, followed a patient with a GI bleed from the ED to "
        "embolization, and I presented the case at grand rounds. I think I would be a reliable, "
        "hardworking resident for your program.",
        {B: True, T: True, IMP: False, P: True},
    ),
    "spoken_outcome_honors": (
        "failed-attempt",
        "Of course. I failed Step 1 on my first attempt because I crammed content for months and never "
        "tested myself. That one is on me. Afterward I met with our learning specialist every Friday and "
        "followed a written plan with Anki each morning and a full-length NBME every two weeks. I passed,"
        " scored a two fifty-one on Step 2 CK, and honored surgery and pediatrics. On the IR side, I have"
        " spent every Thursday in the PAD clinic this year, I helped with a poster on limb salvage for "
        "SIR, and the fellows trust me to round on our post-procedure patients. That is the kind of "
        "resident I want to be.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "over_explained_three_causes": (
        "failed-attempt",
        "I did fail Step 1 the first time. There were honestly a few reasons. My mother was in the "
        "hospital that spring, so I was driving home most weekends. I also kept tutoring first-years for "
        "extra income, which took about fifteen hours a week. And I relied almost entirely on lecture "
        "notes because I thought the question banks were too expensive. For the retake I quit the "
        "tutoring job, borrowed a UWorld subscription from the school and did two timed blocks a day with"
        " an NBME every weekend. I passed and then got a 238 on Step 2 CK. Since then I have done two IR "
        "rotations, and I am presenting a case of a splenic embolization at our regional meeting.",
        {B: False, T: True, IMP: True, P: True},
    ),
    "too_short": (
        "low-score",
        "My Step 1 was a 211. I did not do enough questions. I fixed that and got 248 on Step 2. I love IR.",
        {B: False},
    ),
    "ends_apology": (
        "low-score",
        "Yes, my Step 2 CK was a 229, which is below your range. I spread my studying across too many "
        "resources and never finished one question bank. After that I worked with an advisor, cut down to"
        " UWorld and Anki on a fixed daily schedule, and I honored my medicine sub-internship. I know "
        "programs look at that number first, though, and I apologize that it is lower than it should be. "
        "I really am sorry about it.",
        {B: True, T: True, IMP: True, P: False},
    ),
    "ends_on_score_no_strengths": (
        "low-score",
        "My Step 1 was a 216. I waited too long to start timed practice, which was a planning mistake on "
        "my part. After that I met with a learning specialist, built a fixed schedule of sixty UWorld "
        "questions a day and took an NBME every week. Then my Step 2 CK came back at 250. So my Step 1 "
        "was 216 and my Step 2 was 250.",
        {T: True, IMP: True, P: False},
    ),
    "illness_owned": (
        "failed-attempt",
        "I had pneumonia in the week before my exam, and I decided to sit for it anyway rather than "
        "reschedule, which was my mistake. I did not pass. For the retake I worked with our academic "
        "support office on a structured eight-week plan, with daily timed blocks and weekly self-"
        "assessments, and I passed comfortably, then scored 243 on Step 2 CK. Since then I have done an "
        "IR sub-internship, I scrubbed on several Y-90 cases and drains, and I learned how much of IR is "
        "clinic and follow-up. I am ready to contribute to your team.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "circumstance_blamed": (
        "failed-attempt",
        "I failed Step 1 the first time. My grandmother passed away two weeks before the exam, and on "
        "test day the testing center was incredibly loud, with construction going on outside, so I could "
        "not concentrate at all. Honestly, nobody at the school warned us that could happen. For the "
        "retake I used a fixed UWorld schedule and NBME practice exams every weekend, and I passed with a"
        " 241 on Step 2 CK later. I have since completed an IR rotation and I really enjoyed working with"
        " the nurses and techs.",
        {T: False, IMP: True, P: True},
    ),
    "argue_premise_subtle": (
        "low-score",
        "My Step 2 CK was a 232. I did not do enough mixed, timed practice, and that is on me. That said,"
        " I don't believe a multiple-choice exam can tell you who will stay calm in an angio suite at two"
        " in the morning. After the exam I worked with a mentor on a fixed question schedule and honored "
        "my surgery and ICU sub-internships. In IR I have scrubbed on trauma embolizations and I would "
        "bring that steadiness to your team.",
        {T: False, IMP: True, P: True},
    ),
    "passive_curriculum": (
        "failed-attempt",
        "I failed Step 1 on my first try. The curriculum was changed without warning in my second year, "
        "and the board review course was dropped. For the second attempt I met with a tutor weekly, did "
        "UWorld blocks every morning and passed. My Step 2 CK was a 245. I am now on the IR interest "
        "group board and helped run a vascular access workshop, and I am ready for this training.",
        {T: False, IMP: True, P: True},
    ),
    "practice_score_rise": (
        "low-score",
        "My Step 1 was a two oh nine. I relied on passive videos, and that was my decision. After that, I"
        " switched to a question-first method with a learning specialist, and my NBME practice scores "
        "went from 198 to 241 over eight weeks. I took Step 2 CK feeling prepared. Meanwhile I spent a "
        "month in the angio suite and I am first author on an abstract about PICC line outcomes, and my "
        "attendings wrote that I was calm and dependable on busy days.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "passed_only_no_outcome": (
        "failed-attempt",
        "Yes. I failed Step 1 the first time because I underestimated the exam and didn't do enough "
        "practice tests. For the retake, I worked with our learning specialist, followed a fixed schedule"
        " with UWorld every morning and took an NBME every Saturday, and I passed. My Step 2 CK is "
        "scheduled for next month. On my IR elective I scrubbed on fibroid embolizations and a few TIPS, "
        "and I would love to keep building on that here.",
        {B: True, T: True, IMP: False, P: True},
    ),
    "long_story": (
        "low-score",
        "Yes, so, thank you for asking, and I'm glad to explain it. My Step 1 was a 220. I grew up in a "
        "small town in Nebraska, and I was the first person in my family to go to college, let alone "
        "medical school, so I didn't have anybody telling me how these exams worked or how people "
        "actually study for them. In my first two years I mostly studied the way I had in undergrad, "
        "which was reading the lecture slides over and over and making long handwritten notes, and I did "
        "well on our school exams that way, so I assumed it would carry over. It didn't. I started "
        "questions about a month before the exam, and by then I was behind. When the score came back I "
        "was honestly shaken for a few days. Then I went to our learning specialist, and we rebuilt "
        "everything: a daily timed block of forty UWorld questions, Anki for the concepts I missed, and "
        "an NBME every two weeks so I could see my trend. I kept that structure through third year and "
        "got a 247 on Step 2 CK, and I honored surgery, medicine and my radiology clerkship. On the IR "
        "side, I did a four-week elective where I saw everything from ports to a pulmonary embolism "
        "thrombectomy, I joined a project looking at tunneled line infections, and I presented our early "
        "data at the state radiology meeting. I also led our IR interest group's simulation night, where "
        "we taught first-years to use ultrasound for vascular access. I think all of that shows how I "
        "work now, and why I am ready for a demanding residency like this one.",
        {B: False, T: True, IMP: True, P: True},
    ),
    "minimising_few_points": (
        "low-score",
        "My Step 2 CK was a 236, which honestly is only a few points below your range, so it's not a big "
        "deal. I ran short on timed practice. Since then I have used a fixed UWorld schedule and honored "
        "my IR sub-internship, where I scrubbed on several ablations. I'd bring that energy to your "
        "program.",
        {T: False, P: True},
    ),
    "mindset_only": (
        "failed-attempt",
        "I failed Step 1 on my first attempt, and I own that. I did not respect how much material there "
        "was. Afterwards I worked on my mindset, I became much more disciplined and I put in more hours "
        "than ever before, and I passed the second time. I think that discipline shows in my clinical "
        "work. In IR I was the student who always pre-rounded on the drain patients, and the residents "
        "noticed.",
        {T: True, IMP: False, P: True},
    ),
    "ends_on_setback_record": (
        "failed-attempt",
        "I failed Step 1 the first time, which was on me, I never did a practice exam. For the retake I "
        "worked with a tutor on a fixed schedule of UWorld blocks and weekly NBMEs, and I passed, and "
        "later scored 249 on Step 2 CK. I spent a month on IR and scrubbed on several embolizations. But "
        "the fail will always be on my transcript, and I know that is a red flag.",
        {T: True, IMP: True, P: False},
    ),
    "you_know_like_fillers": (
        "low-score",
        "So, like, my Step 1 was a 217, you know, and I mean, that's on me, I basically didn't do enough "
        "questions. After that I, like, started working with a tutor, um, and did a fixed UWorld schedule"
        " with Anki, and I got a 243 on Step 2 CK. I, uh, spent a month on IR, scrubbed on TIPS and "
        "ports, and I'm, like, really ready for the training.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "it_wasnt_my_fault_img": (
        "failed-attempt",
        "I did not pass Step 1 at first. It was not really my fault, the exam centre in my country had a "
        "power cut during block four and the proctors gave us no extra time. Then I made a fixed schedule"
        " with the Amboss question bank and UWSA practice tests, passed, and scored 239 on Step 2 CK. I "
        "completed a research year with an IR group in Boston, where we published two papers on prostate "
        "artery embolization, and I am ready to work hard in your team.",
        {T: False, IMP: True, P: True},
    ),
    "veteran_concise": (
        "low-score",
        "My Step 1 score is 212. I failed to manage my time during dedicated; that's the honest answer. I"
        " treat preparation like a mission now. I built a calendar working backward from test day, I did "
        "80 questions a day, and I reviewed every miss the same night. That brought my Step 2 CK to 249. "
        "Before medicine I was a Navy corpsman, so I'm comfortable in high-stress procedural settings, "
        "and on my IR rotation I was trusted to set up the room and run the checklist for every case.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "because_school_switched": (
        "low-score",
        "My Step 1 was a 221. Most of my classmates scored in that range because the school switched to a"
        " new schedule and stopped teaching to the boards. After that I used UWorld every day and I "
        "honored my surgery rotation. On IR I scrubbed on embolizations and I'd love to join your team.",
        {T: False, IMP: True, P: True},
    ),
    "img_kaplan_obtained": (
        "low-score",
        "Good afternoon. In my country we study from textbooks, and I had not practised the clinical "
        "vignette style, so my Step 1 was 203. After, I have enrolled in a Kaplan course, I solved the "
        "UWorld bank with timing, and I did the self assessments each week. In Step 2 CK I obtained 244. "
        "In the last year I did an externship in interventional radiology in Texas, where I assisted in "
        "the consent and follow-up of patients after uterine artery embolization. I am ready to give my "
        "best to your program.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "vague_adjustments": (
        "low-score",
        "My Step 1 was a 218, and I own it, my preparation was not good enough. I really reflected on "
        "what went wrong and made some adjustments to how I study, and things went much better on Step 2 "
        "CK, where I got a 241. I have also spent a lot of time in the IR reading room and the angio "
        "suite, and I love how IR combines imaging with hands-on care.",
        {T: True, IMP: False, P: True},
    ),
    "they_changed_format": (
        "failed-attempt",
        "I didn't pass Step 1 the first time. They changed the format the year I took it and our school "
        "never adjusted the curriculum. For the retake I did daily UWorld blocks and took an NBME every "
        "week, and I passed, and then got a 236 on Step 2 CK. I then did two IR rotations and I'm ready "
        "to work hard.",
        {T: False, IMP: True, P: True},
    ),
    "pi_would_not_let": (
        "low-score",
        "My Step 1 was a 215. My PI would not let me take time away from the lab, and my preceptor "
        "refused to give me study days. After that I set a fixed schedule with Anki and weekly NBMEs, and"
        " I honored medicine. In IR I scrubbed on ports and drains and I'm ready for residency.",
        {T: False, IMP: True, P: True},
    ),
    "grateful_thank_you": (
        "failed-attempt",
        "I failed Step 1 on my first attempt. I studied passively and never checked myself with practice "
        "exams, and that was my responsibility. I then worked with a learning specialist, did a timed "
        "block every morning and an NBME every Saturday, passed the retake and scored a two sixty on Step"
        " 2 CK. Since then I've done an IR sub-I and a research project on hepatic embolization, and I'd "
        "be grateful for the chance to train here. Thank you.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "considered_fine_minimise": (
        "low-score",
        "I'd just point out that my Step 1 is from the scored era, and honestly a 225 back then was "
        "perfectly respectable at most schools, so I don't see it as a weakness. I did do a fixed UWorld "
        "schedule for Step 2 and got a 245. I have done two IR electives and I am excited to train here.",
        {T: False, IMP: True, P: True},
    ),
    "nurse_career_changer": (
        "low-score",
        "I worked as an ICU nurse for eight years before medical school, and my Step 1 was a 206. I "
        "underestimated how much standardized test practice I needed after so long away from exams, which"
        " is on me. For Step 2 I worked with our academic success coach, built a six-week calendar, did "
        "forty timed questions every morning, and took three NBME practice exams. I scored 246 on Step 2 "
        "CK and honored my medicine and surgery clerkships. In IR, my ICU years show: I'm calm with "
        "unstable patients, I know how to work with nurses and techs, and on my sub-I the team trusted me"
        " to manage sedation checklists and post-procedure handoffs.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "apology_midway_strong_end": (
        "failed-attempt",
        "I failed Step 1 the first time, and I'm sorry that it's on my record, but it taught me to plan. "
        "I never took a practice test before that exam. For the retake I met with a tutor weekly, used "
        "UWorld and Anki every day and took an NBME every two weeks; I passed and got a 242 on Step 2 CK."
        " On my IR elective I scrubbed on TIPS and embolizations, joined tumor board, and I'm ready to "
        "contribute from day one.",
        {T: True, IMP: True, P: True},
    ),
    "three_cause_short_sentences": (
        "low-score",
        "My Step 2 CK was a 231. I took it too soon after my surgery rotation. I also never finished the "
        "question bank. And I was sleeping maybe five hours a night. After that I worked with a learning "
        "specialist on a fixed schedule and honored my IR sub-I. I'm comfortable in the angio suite and "
        "I'd be a dependable resident.",
        {B: False, T: True, IMP: True, P: True},
    ),
    "two_cause_sentences_ok": (
        "low-score",
        "My Step 2 CK was a 233. I scheduled it right after a heavy surgery rotation without a dedicated "
        "period. I also never sat a full-length practice test, so my stamina wasn't there. After that I "
        "worked with a learning specialist, did a timed block every morning and a full-length every other"
        " weekend, and honored both of my sub-internships. On IR I've been to tumor board every week, "
        "helped with a Y-90 case series, and I think I'd be a dependable, hardworking resident for your "
        "team.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "bitter_frustrating": (
        "failed-attempt",
        "I failed Step 1. It's frustrating that one exam follows people around for their whole career. I "
        "didn't do enough questions. For the retake I used UWorld on a fixed schedule and passed, and "
        "then got 247 on Step 2 CK. I've done two IR rotations and I'm ready.",
        {T: False, IMP: True, P: True},
    ),
    "gap_cv": (
        "cv-gap",
        "Yes. I took a year off between my second and third years after I failed Step 1, and that was my "
        "decision. During that year I worked with a learning specialist, followed a fixed plan with "
        "UWorld and weekly NBMEs, and passed, then scored 240 on Step 2 CK. I also joined an IR research "
        "group and we published a paper on genicular artery embolization, so I came back with a clear "
        "sense of why I want IR.",
        {T: True, IMP: True, P: True},
    ),
    "restructured_days_percentile": (
        "low-score",
        "My Step 1 was 214. I treated it like a reading exam rather than a reasoning exam, and that was "
        "my misjudgment. I restructured my days around timed question blocks and a weekly check-in with "
        "an advisor, and my shelf exams after that were all above the 85th percentile. What I'm proudest "
        "of is my time on interventional radiology: I learned to prep the fluoroscopy room, I followed "
        "our patients from clinic to the table, and I'm writing up a case of a renal artery "
        "pseudoaneurysm with the fellows. I'd be a steady presence on your team.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "thrown_into_clinicals": (
        "failed-attempt",
        "I failed Step 1 the first time. They basically threw us into clinicals with no dedicated period,"
        " and we were left on our own to figure out boards. Then I did a fixed UWorld schedule and weekly"
        " NBMEs, passed, and got a 241 on Step 2 CK. I've since done an IR rotation and enjoyed it.",
        {T: False, IMP: True},
    ),
    "school_moved_owned": (
        "low-score",
        "Our school moves Step 1 to after the core clerkships, and I chose to sit for it without enough "
        "review, which was my mistake; I got a 222. After that I worked with a learning specialist and "
        "used a strict daily question schedule, and I honored four of my clerkships. In IR, I've scrubbed"
        " on TIPS and fibroid embolizations and I'm presenting a poster at SIR, and I'd bring that "
        "follow-through to your program.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "practice_tests_didnt_show": (
        "failed-attempt",
        "I failed Step 1 on my first attempt. My practice tests didn't show how shaky my biochemistry "
        "was, because I kept reusing the same forms, and that's on me. For the retake I used fresh NBME "
        "forms every week and a tutor, passed, and scored 244 on Step 2 CK. On my IR sub-I I managed the "
        "drain clinic list and scrubbed on embolizations, and the attendings asked me to come back.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "relic_ancient_history": (
        "low-score",
        "My Step 1 was a 209, but honestly that's ancient history and the exam is a relic now that it's "
        "pass/fail. I did start using Anki and UWorld every day after that and got a 243 on Step 2 CK. "
        "I've done two IR rotations and scrubbed on a lot of cases.",
        {T: False, IMP: True, P: True},
    ),
    "ends_hoping_not_held_against": (
        "low-score",
        "My Step 2 CK was a 228. I ran out of time on most blocks because I never practised under timed "
        "conditions, which was my responsibility. After that, I worked with a coach on pacing and did "
        "timed blocks every morning, and I honored my radiology and medicine rotations. I also did a "
        "month in IR. I just hope the committee won't hold the 228 against me.",
        {T: True, IMP: True, P: False},
    ),
    "humble_strong_resident": (
        "failed-attempt",
        "Yes, I failed Step 1 on my first attempt. I didn't have a plan and I didn't ask for help early "
        "enough; that's mine to own. After the result I met with our learning specialist every week, "
        "followed a written schedule with daily UWorld blocks and Anki, and took an NBME every two weeks."
        " I passed the retake and scored a two forty-nine on Step 2 CK, above the national mean. Since "
        "then I've spent six months with our IR team on a research project on radiation dose during "
        "embolization, and I've presented it at two meetings. I know how to work steadily on a hard "
        "problem, and that's what I'd bring to residency.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "cause_then_excuse_end": (
        "failed-attempt",
        "I failed Step 1 because I didn't do enough practice questions, which is on me. For the retake I "
        "set up a fixed schedule with UWorld and NBMEs, passed, and got a 238 on Step 2 CK. I've done an "
        "IR elective and I scrubbed on TIPS. Still, I think the exam is pretty arbitrary and it's unfair "
        "that programs screen on it.",
        {T: False, IMP: True, P: False},
    ),
    "no_change_at_all": (
        "low-score",
        "My Step 1 was a 213, which is below your range. I didn't prepare as well as I should have, and I"
        " take responsibility for that. My Step 2 CK was a 244. In IR I've scrubbed on embolizations and "
        "drains and presented at tumor board, and I'd be a dependable resident.",
        {T: True, IMP: False, P: True},
    ),
    "spoken_rise_points": (
        "low-score",
        "My Step 1 was a two ten. I had no structure, that was my fault. After that I built a fixed plan "
        "with a learning specialist, forty UWorld questions a day, and a practice exam every Sunday, and "
        "my Step 2 CK was thirty-five points higher. Since then I've done an IR sub-internship, I "
        "scrubbed on ports and TIPS, and I'm ready to join your team.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "circumstance_one_sentence_owned_divorce": (
        "failed-attempt",
        "My parents divorced during my dedicated period, and I chose not to postpone, which I would do "
        "differently now. I didn't pass. For the retake I met with a counselor, followed a structured "
        "six-week plan with daily UWorld blocks and weekly NBMEs, passed, and scored 247 on Step 2 CK. "
        "Since then I've done two IR rotations and I'm co-author on a paper on IVC filter retrieval, and "
        "I'm ready for the work.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "lowercase_no_punct": (
        "low-score",
        "so my step one was a two twelve and honestly that was on me i mostly reread notes and never did "
        "timed questions after that i started working with a learning specialist and did a uworld block "
        "every morning and an nbme every other week and my step two ck came back at two forty nine which "
        "is above the national mean since then i have spent a month in the angio suite and i presented a "
        "y90 case at tumor board and i think i would be a reliable resident",
        {T: True, IMP: True, P: True},
    ),
    "warm_positive_pass": (
        "failed-attempt",
        "Thanks for asking. I didn't pass Step 1 the first time; I underestimated it and studied without "
        "any practice tests. I rebuilt my approach with a tutor: daily question blocks, an error log I "
        "reviewed every night, and a practice exam every ten days. I passed comfortably, then earned a "
        "253 on Step 2 CK. Those habits carried into the wards, and on my IR rotation the fellows had me "
        "present our morning consults and assist with paracenteses and port placements. Honestly, the "
        "angio suite is where I feel most useful, and I'd love to bring that energy here.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "ends_with_thanks_question": (
        "low-score",
        "My Step 2 CK was a 234, below what you usually see. I took it in the middle of a heavy sub-"
        "internship and never sat a full-length practice exam, which was my decision. Afterward I worked "
        "with an advisor on a fixed weekly schedule and full-length NBMEs, and I honored my medicine and "
        "IR sub-internships. I've also been at our IR clinic every week, and the team trusts me with pre-"
        "procedure workups. I hope that answers your question.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "wish_positive_not_apology": (
        "failed-attempt",
        "I failed Step 1 on the first try because I crammed without any practice exams; that one is on "
        "me. For the retake I followed a structured plan with UWorld blocks every morning and weekly "
        "NBMEs, passed, and scored 246 on Step 2 CK. On my IR elective I scrubbed on TIPS, drains and a "
        "few embolizations, and I wish every student got that kind of teaching in the angio suite.",
        {T: True, IMP: True, P: True},
    ),
    "biggest_mistake": (
        "biggest-mistake",
        "On my medicine rotation I told a patient's family that a biopsy result was back before I had "
        "checked it with my resident, and it turned out I had read the wrong patient's report. I told my "
        "resident and the attending right away and we corrected it with the family that afternoon. That "
        "was my mistake. Since then I always confirm two identifiers and read results back to the team "
        "before anything goes to a family, and on my IR sub-I I used the same checklist for every "
        "consent. My evaluations since then have all commented on my reliability, and I think that "
        "carefulness matters a lot in IR.",
        {T: True, P: True},
    ),
    "first_person_plural_blame_we_were_not_taught": (
        "low-score",
        "My Step 1 was a 219. We were never taught how to do questions in our first two years, and the "
        "school didn't give us any NBME forms. After that I used UWorld on a fixed schedule and took "
        "NBMEs every two weeks, and I scored 244 on Step 2 CK. I've done IR research and two rotations.",
        {T: False, IMP: True},
    ),
    "spoken_numbers_comlex": (
        "low-score",
        "My COMLEX Level 1 was a four sixty and my Step 1 was a two oh five, which I know is low. I tried"
        " to study for both exams with one plan, and that was my misjudgment. After that I met with our "
        "academic support counselor every week and set up a daily schedule of COMSAE forms and timed "
        "UWorld blocks. My COMLEX Level 2 came back at six twenty and my Step 2 CK at two forty-four. I'm"
        " the president of our IR interest group and I spent a month in the angio suite, and I'm ready to"
        " work hard for your program.",
        {T: True, IMP: True, P: True},
    ),
    "schools_fault": (
        "failed-attempt",
        "I failed Step 1 on my first attempt. To be frank, it was my school's fault, they gave us a"
        " terrible curriculum. Afterwards I did UWorld daily and NBMEs weekly, passed, and got 240 "
        "on Step 2 CK. I love IR and I've scrubbed on plenty of cases.",
        {T: False},
    ),
    "ends_on_exam_experience": (
        "low-score",
        "My Step 1 was a 215. I didn't use practice questions early enough, which is on me. After "
        "that I worked with a tutor on a fixed schedule of timed blocks, and I scored 244 on Step 2"
        " CK and honored medicine. I also spent a month in IR. So that was my Step 1 experience.",
        {P: False},
    ),
    "data_point_minimise": (
        "low-score",
        "My Step 2 CK was a 229, but it's just one data point. I didn't practice under timed "
        "conditions. Since then I've used timed random blocks every morning and honored both sub-"
        "Is. I've done IR research on TIPS outcomes and I'm ready for the work.",
        {T: False, IMP: True, P: True},
    ),
    "persona_quiet_img_pass": (
        "failed-attempt",
        "Yes, I did not pass Step 1 at my first attempt. I was working full time as a research "
        "assistant and studying only at night, and I should have taken leave. For my second attempt"
        " I took three months off, I followed a written study calendar with one hundred UWorld "
        "questions per day, and I reviewed every incorrect answer in a notebook. I passed, and my "
        "Step 2 CK score was two thirty-nine, with a high pass in my radiology elective. In the IR "
        "department where I was a research assistant, I helped collect data on hepatic "
        "chemoembolization, and I learned how much teamwork the procedures need. I am ready to "
        "bring that dedication to residency.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "persona_brash_pass_tone_fail": (
        "low-score",
        "Look, my Step 1 was a 220, and that test was a joke. I didn't study smart, fine. I fixed "
        "it with Amboss and UWSA practice tests and scored 255 on CK. In the angio suite I'm at my "
        "best, and every attending I've worked with will tell you that.",
        {T: False, IMP: True, P: True},
    ),
    "persona_over_apologetic_end": (
        "failed-attempt",
        "I failed Step 1 the first time because I didn't take enough practice exams, and I accept "
        "that completely. For the retake I met with a learning specialist, did daily UWorld blocks "
        "and NBMEs every week, and passed, and then I scored 246 on Step 2 CK. I did two IR "
        "rotations and presented a poster. I just want to say again how sorry I am that this is on "
        "my application.",
        {T: True, IMP: True, P: False},
    ),
    "persona_no_strengths_at_all": (
        "low-score",
        "My Step 1 was a 210. I relied on reading and didn't do questions, that's on me. After that"
        " I used a fixed UWorld schedule and took an NBME every week, and my Step 2 CK was a 241. "
        "I've worked hard to improve my study habits since then.",
        {T: True, IMP: True, P: False},
    ),
    "runon_whisper_pass": (
        "low-score",
        "Yeah so um my Step 1 was a two oh seven and I think the honest answer is I never really "
        "learned how to take a test like that, I was a reader, I'd read and reread and I thought "
        "that was studying. So after that I went to our academic support office and they basically "
        "rebuilt how I study, I did timed blocks of UWorld every single morning, I used Anki for "
        "anything I missed and I took a practice NBME every two weeks, and my Step 2 CK came back a"
        " two forty-eight. And um I think the part I'm proudest of is IR, I spent a month on the "
        "service, I got to scrub on a couple of TIPS and a lot of port placements, and I was the "
        "student who followed up with the patients afterwards, and the team noticed that.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "subtle_blame_everyone": (
        "failed-attempt",
        "So I didn't pass Step 1 the first time. Honestly, the whole class had a rough year, the "
        "administration kept changing our exam dates and a lot of us were set up to struggle. For "
        "the retake I did a fixed UWorld schedule with weekly NBMEs, passed, and scored 243 on Step"
        " 2 CK. I've done two IR rotations since and I'm ready for residency.",
        {T: False, IMP: True, P: True},
    ),
    "vague_improved_study_habits": (
        "failed-attempt",
        "I failed Step 1 on my first attempt, and that's on me, I wasn't prepared. I improved my "
        "study habits a lot and became much more efficient, and I passed on the second attempt. "
        "I've since done two IR rotations and scrubbed on a lot of embolizations, and I'm ready to "
        "be a strong resident.",
        {T: True, IMP: False, P: True},
    ),
    "outcome_shelves_percentile": (
        "low-score",
        "My Step 1 was a 211. I was overconfident and skipped practice tests, and I own that. After"
        " that I met with a tutor each week and built a study calendar around UWorld, and my shelf "
        "exams were all above the 80th percentile, including a 95th percentile surgery shelf. I "
        "also spent a month in IR, presented at our tumor board, and I'd bring that same "
        "consistency to your residents and patients.",
        {T: True, IMP: True, P: True},
    ),
    "ends_question_back": (
        "low-score",
        "My Step 2 CK was a 233. I rushed my dedicated period and never took a full practice test, "
        "which was my decision. After that I built a fixed schedule with a learning specialist and "
        "honored my sub-internships. I did a month in the angio suite and I'm working on an "
        "abstract. But honestly, does one score really tell you who I am?",
        {T: False, P: False},
    ),
    "above_mean_only": (
        "failed-attempt",
        "I failed Step 1 on my first attempt because I never tested myself under timed conditions, "
        "and that is on me. For the retake I worked with a tutor, did a UWorld block every morning "
        "and an NBME each Saturday, and on Step 2 CK I scored above the national mean. I then spent "
        "a month in IR, scrubbed on ports and a TIPS, and I'd bring that same discipline to your team.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "honored_only": (
        "low-score",
        "My Step 2 CK was a 230, which is under your range. I spread myself across too many "
        "resources and never finished one, which was my call. After that I kept a strict daily "
        "question schedule with Anki for my misses, and I honored surgery and internal medicine. "
        "On my IR elective I scrubbed on fibroid embolizations and I presented at our tumor board, "
        "and I'm ready to be a dependable intern on your service.",
        {B: True, T: True, IMP: True, P: True},
    ),
    "negated_change_only": (
        "low-score",
        "My Step 1 was a 214. I never took an NBME and never used a question bank, and I own that. "
        "My Step 2 CK was a 246. On my IR rotation I scrubbed on ports and drains, presented at "
        "tumor board, and the fellows trusted me with consult notes.",
        {T: True, IMP: False, P: True},
    ),
    # Three sentences of cause with no cue word in them: a circumstance told as a story, owned.
    "three_plain_causes_owned": (
        "failed-attempt",
        "I failed Step 1 in my second year. My brother was deployed that spring and I moved back in "
        "with my parents to help with the farm. I studied in the truck between chores for most of "
        "dedicated. I chose to keep my test date anyway, and that was my call. For the retake I set "
        "up a fixed schedule with a tutor, a timed UWorld block each morning and an NBME every ten "
        "days, and I scored a 247 on Step 2 CK. On my IR elective I ran the pre-procedure checklist "
        "for the team and scrubbed on biliary drains.",
        {B: False, T: True, IMP: True, P: True},
    ),
    # Present-tense opinions are not causes (brevity passes) but they do play the score down.
    "opinions_are_not_causes": (
        "low-score",
        "Honestly the 226 looks worse on paper than it is, and I'm not losing sleep over it. I had a "
        "rough morning on test day. I don't think one exam says much about how someone works in a "
        "procedure room, and I suspect plenty of good residents would agree. So I'm not too worried, "
        "and I'd rather talk about other things.",
        {B: True, T: False, IMP: False, P: False},
    ),
    # "No excuses, but ..." prefaces an excuse; it owns nothing.
    "disclaimer_then_but": (
        "low-score",
        "My Step 1 was a 218. No excuses, but our school's board prep was a single review week taught "
        "by residents who had never seen the new outline. For Step 2 CK I kept a daily UWorld block "
        "and an NBME every two weeks, and I scored a 244. On my IR sub-I I placed supervised ports and "
        "presented a case at morning conference.",
        {B: True, T: False, IMP: True, P: True},
    ),
    # Others acting on the speaker in the cause, with no blame word at all.
    "others_act_on_speaker": (
        "failed-attempt",
        "I failed Step 1 the first time. The testing center lost my check-in and moved my first block "
        "back by an hour, and I never found my rhythm after that. For the retake I took full-length "
        "NBMEs under real timing every week and did a UWorld block every morning, and I scored 249 on "
        "Step 2 CK. On my IR rotation I followed my own patients from consult to clinic.",
        {T: False, IMP: True, P: True},
    ),
    # The result is told first, in the present perfect, before the change.
    "outcome_told_first": (
        "failed-attempt",
        "I've honored every clerkship since my second year, and I'd like to explain how, because it "
        "started with failing Step 1. I had never sat a timed practice exam before test day. I rebuilt "
        "my studying with our academic coach around daily UWorld blocks and an NBME every other week. "
        "On my IR sub-internship I carried four patients and scrubbed on every embolization I could.",
        {B: True, T: True, IMP: True, P: True},
    ),
    # A strength word ("programs") does not rescue an ending that returns to the number.
    "ends_on_number_after_strength_word": (
        "low-score",
        "My Step 2 CK was a 232. I left my practice exams to the last week, which was my mistake. Since "
        "then I've kept a fixed daily UWorld schedule with our learning specialist and honored my "
        "medicine sub-internship. I understand scores matter to programs, and I hope this explains the "
        "232.",
        {P: False},
    ),
    # "A much better score" names no result.
    "better_score_no_number": (
        "failed-attempt",
        "I failed Step 1 because I relied on rereading notes. For the retake I switched to a timed "
        "UWorld block every day and NBME forms every week, and I passed with a much better score than "
        "the first time. On my IR elective I scrubbed on ports and presented at journal club, and I'm "
        "ready for residency.",
        {IMP: False, P: True},
    ),
    # "Oh, what a ..." praising the failure is sarcasm.
    "ironic_praise": (
        "failed-attempt",
        "Oh, that first attempt was a wonderful morning, truly the highlight of medical school. I ran "
        "out of time on four blocks because I had never practised full-length exams. For the retake I "
        "did NBMEs every week and a daily UWorld block, and scored 243 on Step 2 CK. On my IR elective "
        "I scrubbed on fibroid embolizations and helped in clinic.",
        {T: False, IMP: True},
    ),
    # Background before the setback and the first cue is not cause: one owned cause sentence here.
    "background_opener": (
        "low-score",
        "Sure. I grew up on a ranch and was the first in my family to finish college. I took Step 1 "
        "in June of my second year and scored a 214, which is below your range. I relied on passive "
        "review and never tested myself, which is on me. After that I worked with a learning "
        "specialist on a fixed UWorld schedule with NBMEs every two weeks, and my Step 2 CK was a 249."
        " On my IR sub-I I did supervised access on ports and presented at tumor board.",
        {B: True, T: True, IMP: True, P: True},
    ),
    # The first score said is the setback even without a setback phrase; the later one is the result.
    "first_score_is_setback": (
        "low-score",
        "So what went wrong? I came away with a 209 because I studied from videos and skipped "
        "questions, and that's on me. For Step 2 CK I waited until three NBME forms in a row were "
        "above 240, with a fixed daily UWorld plan and our learning specialist, and I scored a 248. On "
        "my IR sub-internship I did supervised access on ports and drains.",
        {B: True, T: True, IMP: True, P: True},
    ),
    # A transcript run on without full stops: the setback, the change and the result in one
    # sentence. The first score, said before the change, is still the setback, not the result.
    "run_on_transcript": (
        "low-score",
        "my Step 1 was a 209 and I had been reading without doing timed questions and after that I met "
        "with the learning specialist and I set up a schedule of forty questions every morning and an "
        "NBME every other week and my Step 2 CK came back at two forty eight and on my IR rotation I "
        "placed drains under supervision and presented at the tumor board",
        {IMP: True},
    ),
}


@cache
def content() -> tuple[QuestionBank, RubricSet]:
    return load_content()


@cache
def scored(name: str) -> Score:
    bank, rubrics = content()
    question_id, text, _ = ANSWERS[name]
    question = bank.get(question_id)
    return score(question, rubrics.get(question.rubric), text=text)


VERDICTS = [
    pytest.param(name, criterion, expected, id=f"{name}-{criterion}")
    for name, (_, _, labels) in ANSWERS.items()
    for criterion, expected in labels.items()
]


@pytest.mark.parametrize(("name", "criterion", "expected"), VERDICTS)
def test_verdict(name: str, criterion: str, expected: bool) -> None:
    result = scored(name).criteria[criterion]
    assert result.passed is expected, result.feedback
    assert 0.0 <= result.score <= 1.0
    # A pass scores higher than any fail of the same criterion.
    assert (result.score >= 0.75) is expected
    assert result.feedback


def test_every_criterion_has_pass_and_fail_cases() -> None:
    for criterion in SETBACK_CRITERIA:
        outcomes = {labels[criterion] for _, _, labels in ANSWERS.values() if criterion in labels}
        assert outcomes == {True, False}, criterion


@pytest.mark.parametrize(
    ("name", "criterion", "label", "text"),
    [
        # Passive voice, "they", a school as the reason, and a denial are all blame.
        ("passive_curriculum", T, "blame", "curriculum was changed without warning"),
        ("career_changer_passive_blame", T, "blame", "dedicated period was cut"),
        ("thrown_into_clinicals", T, "blame", "threw us into clinicals"),
        ("because_school_switched", T, "blame", "school switched"),
        ("it_wasnt_my_fault_img", T, "blame", "my fault"),
        ("pi_would_not_let", T, "blame", "PI would not let"),
        ("sarcasm", T, "bitterness", "Great, another"),
        ("bitter_frustrating", T, "bitterness", "frustrating that"),
        ("argue_premise_subtle", T, "arguing_premise", "exam can tell you"),
        ("relic_ancient_history", T, "minimising", "ancient history"),
        ("ends_question_back", T, "arguing_premise", "does one score really tell you"),
        ("subtle_blame_everyone", T, "blame", "administration kept changing"),
        ("outcome_shelves_percentile", IMP, "outcome", "80th percentile"),
        ("minimising_few_points", T, "minimising", "only a few points"),
        ("considered_fine_minimise", T, "minimising", "perfectly respectable"),
        ("illness_owned", T, "ownership", "my mistake"),
        # Spoken and written outcomes, specific and vague change.
        ("spoken_outcome_honors", IMP, "outcome", "two fifty-one"),
        ("spoken_outcome_honors", IMP, "outcome", "honored surgery"),
        ("above_mean_only", IMP, "outcome", "above the national mean"),
        ("img_spoken_all_pass", IMP, "outcome", "two forty-six"),
        ("ends_apology", IMP, "outcome", "honored my medicine sub-internship"),
        ("spoken_rise_points", IMP, "outcome", "thirty-five points higher"),
        ("img_spoken_all_pass", IMP, "specific_change", "study group"),
        ("nurse_career_changer", IMP, "specific_change", "academic success coach"),
        # A study rhythm is quoted with its unit ("blocks a day"), not cut at "a".
        ("over_explained_three_causes", IMP, "specific_change", "two timed blocks a day"),
        ("vague_change_with_score", IMP, "vague_change", "changed a lot of things"),
        ("mindset_only", IMP, "vague_change", "mindset"),
        # Endings and causes.
        ("ends_apology", P, "apology", "sorry"),
        ("ends_on_setback_record", P, "setback", "red flag"),
        ("ends_hoping_not_held_against", P, "setback", "228"),
        ("nurse_career_changer", P, "pivot", "In IR, my ICU years show"),
        ("over_explained_three_causes", B, "cause", "I also kept tutoring"),
        ("long_story", B, "too_long", "tunneled line infections"),
        ("too_short", B, "too_short", "My Step 1 was a 211"),
    ],
)
def test_evidence(name: str, criterion: str, label: str, text: str) -> None:
    result = scored(name).criteria[criterion]
    answer = ANSWERS[name][1]
    matching = [e for e in result.evidence if e.label == label and text in e.text]
    assert matching, [(e.label, e.text) for e in result.evidence]
    for e in result.evidence:
        assert answer[e.start : e.end] == e.text


def test_the_setback_score_is_no_outcome_in_a_run_on_transcript() -> None:
    outcomes = [e.text for e in scored("run_on_transcript").criteria[IMP].evidence if e.label == "outcome"]
    assert outcomes == ["two forty eight"]


def test_no_vague_change_is_specific() -> None:
    """ "I changed a lot of things" and "worked harder" never count as a specific change."""
    for name in ("vague_change_with_score", "mindset_only", "vague_adjustments", "negated_change_only"):
        labels = {e.label for e in scored(name).criteria[IMP].evidence}
        assert "specific_change" not in labels, name


@pytest.mark.parametrize(
    ("name", "criterion", "fragments"),
    [
        # One concrete piece of advice, quoting the answer's own words.
        ("ends_apology", P, ['You ended on "I really am sorry about it"', "your medicine sub-internship"]),
        ("ends_hoping_not_held_against", P, ["won't hold the 228 against me", "your radiology and medicine"]),
        (
            "passive_curriculum",
            T,
            ['"The curriculum was changed without warning', "puts the cause on others"],
        ),
        ("sarcasm", T, ['"Great, another test that defines you"', "bitter"]),
        ("argue_premise_subtle", T, ["I don't believe a multiple-choice exam", "argues with the question"]),
        ("vague_change_with_score", IMP, ['"changed a lot of things"', '"240"']),
        (
            "passed_only_no_outcome",
            IMP,
            ['"worked with our learning specialist"', '"I passed"', "Step 2 CK score"],
        ),
        ("over_explained_three_causes", B, ["4 sentences on why", "There were honestly a few reasons"]),
        ("long_story", B, ["285 words", "30-85 s"]),
        ("spoken_outcome_honors", IMP, ['"two fifty-one"']),
        ("run_on_transcript", IMP, ['an objective result ("two forty eight")']),
    ],
)
def test_advice_is_about_this_answer(name: str, criterion: str, fragments: list[str]) -> None:
    feedback = scored(name).criteria[criterion].feedback
    for fragment in fragments:
        assert fragment in feedback
    assert "{" not in feedback


@pytest.mark.parametrize(
    "text",
    [
        # Markers and results in sentences with no verb: the clause walks must stop at the root.
        "Step 1, a 212. After that, daily questions. Honors in surgery since then. IR, always.",
        "\nA 230 on Step 2 CK. For the retake, NBMEs every week! Top ten percent on the shelf.",
    ],
)
def test_fragments_get_verdicts(text: str) -> None:
    bank, rubrics = content()
    result = score(bank.get("failed-attempt"), rubrics.get("setback"), text=text)
    assert set(SETBACK_CRITERIA) <= set(result.criteria)
    for criterion in result.criteria.values():
        for e in criterion.evidence:
            assert result.answer[e.start : e.end] == e.text


@pytest.mark.parametrize("text", ["", "   ", "I don't know.", "Um, uh, pass on that one."])
def test_no_answer(text: str) -> None:
    bank, rubrics = content()
    question = bank.get("low-score")
    result = score(question, rubrics.get("setback"), text=text)
    assert result.no_answer
    assert result.overall == 0
    assert "30-85 seconds" in result.message
    assert all(not c.passed and c.score == 0 for c in result.criteria.values())
    assert set(SETBACK_CRITERIA) <= set(result.criteria)


def _transcript(text: str, seconds: float) -> Transcript:
    return Transcript(text=text, duration_s=seconds, speech_s=seconds, engine="test", model="test")


@pytest.mark.parametrize(("seconds", "passed", "shown"), [(60.0, True, "60 s"), (130.0, False, "130 s")])
def test_brevity_uses_measured_duration_with_audio(seconds: float, passed: bool, shown: str) -> None:
    bank, rubrics = content()
    question = bank.get("failed-attempt")
    text = ANSWERS["illness_owned"][1]
    result = score(question, rubrics.get("setback"), transcript=_transcript(text, seconds))
    brevity = result.criteria[B]
    assert brevity.passed is passed
    assert shown in brevity.feedback
    # Delivery is judged once timing is known.
    assert "pace" in result.criteria


def test_typed_answer_reports_pace_and_pauses_as_unknown() -> None:
    result = scored("img_spoken_all_pass")
    assert {u.id for u in result.unscored} == {"pace", "pauses"}
    assert result.criteria["fillers"].passed
    assert result.to_json_dict()["metrics"]["words_per_minute"] is None


def test_fillers_are_counted_from_the_words() -> None:
    fillers = scored("you_know_like_fillers").criteria["fillers"]
    words = {e.text.lower() for e in fillers.evidence if e.label == "filler"}
    assert {"like", "you know", "um", "uh", "basically"} <= words
    assert not fillers.passed


def test_shipped_rubric_shape() -> None:
    _, rubrics = content()
    rubric = rubrics.get("setback")
    ids = [c.id for c in rubric.criteria]
    assert ids[:4] == list(SETBACK_CRITERIA)
    assert {c.id for c in rubric.criteria if c.delivery} == {"pace", "fillers", "pauses"}
    for criterion in rubric.criteria:
        assert criterion.parsed is not None
        assert criterion.advice


def test_setback_and_delivery_detectors_skip_entities_but_the_story_reading_needs_them() -> None:
    """Setback and delivery detectors never read entities; the story reading anchors on dates and
    names, so a rubric that uses it parses with the entity recogniser."""
    _, rubrics = content()
    rubric = rubrics.get("setback")
    own = {
        "setback_brevity",
        "setback_tone",
        "setback_improvement",
        "setback_pivot",
        "pace",
        "fillers",
        "pauses",
    }
    assert not needs_entities(
        rubric.model_copy(update={"criteria": [c for c in rubric.criteria if c.detector in own]})
    )
    assert needs_entities(rubric)


def test_story_markers_are_written_once_and_read_by_both_criteria() -> None:
    """brevity and improvement_evidence take the setback and change markers from [shared.story]."""
    _, rubrics = content()
    rubric = rubrics.get("setback")
    brevity, improvement = rubric.criterion(B), rubric.criterion(IMP)
    assert brevity.uses == improvement.uses == ["story"]
    assert "setback" not in brevity.params and "change_start" not in improvement.params
    assert brevity.parsed.setback.phrases and brevity.parsed.setback == improvement.parsed.setback
    assert brevity.parsed.change_start == improvement.parsed.change_start
    assert brevity.parsed.score_ranges == improvement.parsed.score_ranges == [(150.0, 300.0), (350.0, 800.0)]


def test_a_criterion_using_an_unknown_shared_group_is_one_plain_error(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace('\nuses = ["story"]', '\nuses = ["stroy"]', 1)
    bad = tmp_path / "setback.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_rubric(bad)
    assert "uses 'stroy', which [shared] does not define (it has: story)" in str(info.value)


SHIPPED = Path(__file__).resolve().parents[2] / "rubrics" / "setback.toml"


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            'heads = ["let"]\ncomplements = ["down"]',
            'complements_typo = ["down"]',
            "clauses[0].complements_typo",
            "unknown key",
        ),
        (
            'heads = ["let"]\ncomplements = ["down"]\n',
            "",
            "clauses[0]",
            "needs heads, subjects or complements",
        ),
        ('negation = "negated"', 'negation = "maybe"', "negation", "use one of"),
        ("fail_below_share = 0.53", "fail_below_share = 3", "fail_below_share", "of at most"),
    ],
)
def test_broken_rubric_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "setback.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_rubric(path)
    problems = info.value.problems
    assert any(field in p.field and message in p.message and p.line for p in problems), problems
    assert all(p.path == path for p in problems)


def test_regex_patterns_are_refused(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace(
        '[{ LOWER = "also" }, { POS = { IN = ["VERB", "AUX"] } }],',
        '[{ LOWER = { REGEX = "^al.*" } }],',
        1,
    )
    path = tmp_path / "setback.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_rubric(path)
    assert any("REGEX" in p.message for p in info.value.problems)


_VOCAB = [
    "I",
    "you",
    "know",
    "like",
    "um",
    "uh",
    "failed",
    "Step",
    "1",
    "2",
    "two",
    "forty",
    "eight",
    ",",
    ".",
    "?",
    "!",
    "-",
    "'s",
    "n't",
    "not",
    "never",
    "school",
    "they",
    "were",
    "cut",
    "UWorld",
    "NBME",
    "honored",
    "IR",
    "sorry",
    "the",
    "a",
    "and",
    "because",
    "after",
    "that",
    "since",
    "then",
    "251",
    "above",
    "national",
    "mean",
    "é",
    "\n",
    "two",
    "hundred",
    "and",
    "was",
    "my",
    "fault",
    "on",
    "me",
    "just",
    "a",
    "number",
    "great",
    "another",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_VOCAB), max_size=90))
def test_any_answer_gets_a_verdict_never_an_error(words: list[str]) -> None:
    bank, rubrics = content()
    result = score(bank.get("failed-attempt"), rubrics.get("setback"), text=" ".join(words))
    assert set(SETBACK_CRITERIA) <= set(result.criteria)
    for criterion in result.criteria.values():
        assert 0.0 <= criterion.score <= 1.0
        assert criterion.feedback and "{" not in criterion.feedback
        for e in criterion.evidence:
            assert result.answer[e.start : e.end] == e.text


def test_a_mistake_short_of_a_change_is_not_asked_for_study_habits() -> None:
    # Seen in use: a biggest-mistake answer with one act was told to add "a fixed question-bank
    # schedule, spaced repetition, NBME practice exams", the advice for an exam.
    bank, rubrics = content()
    question = bank.get("biggest-mistake")
    answer = (
        "On my medicine sub-internship I forgot to follow up a potassium on a patient with kidney "
        "disease. The night resident caught it at 5.9 before anything happened. The next morning I "
        "told my attending what I had missed. My attending wrote that my sign-outs were the most "
        "complete on the team."
    )
    result = score(question, rubrics.get(question.rubric), text=answer).criteria[IMP]
    assert not result.passed
    assert "what you did about it" in result.feedback and "question-bank" not in result.feedback


@pytest.mark.parametrize(
    "close",
    [
        "Since then I keep a written list of every lab I order and tick it off before sign-out. "
        "It has not happened again.",
        "Now I read back every order before I sign it, and my attending wrote that my sign-outs "
        "were the most careful on the team.",
    ],
)
def test_a_practice_kept_since_a_mistake_is_the_change_made(close: str) -> None:
    # Seen in a user pass on a spoken biggest-mistake answer: the change told in the present ("since
    # then I keep ...") and "it has not happened again" were read as no change and no result.
    bank, rubrics = content()
    question = bank.get("biggest-mistake")
    answer = (
        "On my surgery sub-internship I forgot to order a morning potassium for a patient on a "
        "diuretic. The night nurse noticed at four in the morning that it was low. I told my senior "
        "resident right away. " + close
    )
    result = score(question, rubrics.get(question.rubric), text=answer).criteria[IMP]
    assert result.passed


def test_a_mistake_told_at_length_is_a_story_told_not_causes_explained() -> None:
    # Three sentences telling a mistake after the opening that names it are over Brief's limit as
    # three causes would be, but the advice says what they are: the setback told, to be cut to one
    # or two sentences.
    bank, rubrics = content()
    answer = (
        "My biggest mistake was on my surgery rotation. I wrote a heparin order on the wrong patient "
        "and never checked the name band. The order was for a full-dose drip on a man two days out "
        "from a bowel resection. The nurse caught it at the bedside before it was hung. "
        "That afternoon I told my chief and filed the safety report myself. Since then I read the name "
        "band back before every order I sign, and in four months since, it has not happened again."
    )
    verdict = score(bank.get("biggest-mistake"), rubrics.get("setback"), text=answer).criteria["brevity"]
    assert not verdict.passed
    assert "telling what happened" in verdict.feedback
    assert "why it happened" not in verdict.feedback


def test_once_the_speakers_doing_starts_the_change_no_later_cue_tells_the_cause_again() -> None:
    # With no marker of change, the change starts where the speaker does two things in the past
    # ("wrote ... and put ...": "put" is past by the clause it is joined to, whatever its tag).
    # From there on, a word that elsewhere cues a cause ("my notes", "only") is in the response.
    bank, rubrics = content()
    answer = (
        "Halfway through my surgery clerkship, my chief told me my progress notes were late and too "
        "long. I was afraid to leave out a detail, so I copied every lab into each note. The next "
        "morning I wrote every note from a five-line template and put the plan first. I asked the "
        "intern to check my notes before rounds for the rest of the week. I kept the template on my "
        "phone, and I only added labs that changed the plan. In the last three weeks every note was in "
        "the chart by 7 am, and my final evaluation called my notes concise."
    )
    verdict = score(bank.get("biggest-mistake"), rubrics.get("setback"), text=answer).criteria["brevity"]
    causes = [e.text for e in verdict.evidence if e.label == "cause"]
    assert causes and causes[0].startswith("Halfway through")
    assert not [c for c in causes if "template" in c or "intern" in c], causes
    assert verdict.passed


def test_a_mistake_story_whose_evaluation_called_the_work_better_has_its_improvement() -> None:
    # Seen in a user pass on a spoken biggest-mistake answer: the response was told act by act and
    # the outcome was what the evaluation called the notes, yet "Concrete improvement" was 0.
    bank, rubrics = content()
    answer = (
        "My biggest mistake was on my surgery clerkship. My chief told me my progress notes were late "
        "and far too long. The next morning I wrote every note from a five-line template and put the "
        "plan first. I asked the intern to check my notes before rounds for the rest of the week. "
        "My final evaluation called my notes concise."
    )
    verdict = score(bank.get("biggest-mistake"), rubrics.get("setback"), text=answer).criteria[IMP]
    assert verdict.passed, verdict.feedback
    assert any(e.label == "outcome" and "concise" in e.text for e in verdict.evidence), verdict.evidence


def test_an_opening_that_takes_up_what_the_question_names_states_the_fact_not_a_cause() -> None:
    # "My biggest mistake was ..." answers "Tell me about the biggest mistake": the fact stated
    # first, as the framework asks, so the cause after it is one sentence, not two.
    bank, rubrics = content()
    answer = (
        "My biggest mistake was on my surgery clerkship, with my progress notes. I was afraid to "
        "leave out a detail, so I copied every lab into each note and they came in late. The next "
        "morning I wrote every note from a five-line template and put the plan first. I asked the "
        "intern to check my notes before rounds for the rest of the week. In the last three weeks "
        "every note was in the chart by 7 am, and my final evaluation called my notes concise. "
        "I still write my notes that way on my IR elective, where the fellows read them first."
    )
    verdict = score(bank.get("biggest-mistake"), rubrics.get("setback"), text=answer).criteria[B]
    causes = [e.text for e in verdict.evidence if e.label == "cause"]
    assert not [c for c in causes if c.startswith("My biggest mistake")], causes
    assert causes and causes[0].startswith("I was afraid"), causes


def test_an_act_told_as_the_cause_is_not_quoted_as_the_change_made() -> None:
    # "so I copied every lab into each note" is how the mistake happened, in a sentence Brief marks
    # as its cause: Concrete improvement quotes what was done about it, not that.
    bank, rubrics = content()
    answer = (
        "My biggest mistake was on my surgery clerkship. I was afraid to leave out a detail, so I "
        "copied every lab into each note, and my notes came in late. The next morning I wrote every "
        "note from a five-line template and put the plan first. I asked the intern to check my notes "
        "before rounds for the rest of the week. My final evaluation called my notes concise."
    )
    result = score(bank.get("biggest-mistake"), rubrics.get("setback"), text=answer)
    assert any(e.label == "cause" and "copied" in e.text for e in result.criteria[B].evidence)
    verdict = result.criteria[IMP]
    assert verdict.passed
    changes = [e.text for e in verdict.evidence if e.label == "specific_change"]
    assert changes and not [c for c in changes if "copied" in c], changes
    assert "copied" not in verdict.feedback and "five-line" in verdict.feedback
