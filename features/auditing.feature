Feature: Auditing the history
  An auditor wants to see everything that was recorded, who recorded it and
  from what source, and what the record said at an earlier moment, so that
  every published figure can be traced and checked.

  Background:
    Given the founding story is on record

  Scenario: On the day before the conference, the partnership stood as it had since 1993
    When the auditor asks what was true of the partnership of Wuxi and Singapore on 4 May 2023, as known today
    Then on that day the partnership was at the sister city stage since 1993, with no investment figures reported yet
    And on that day the conference of 5 May 2023 had not been held yet

  Scenario: The summary as it stood before the conference was recorded shows none of its projects
    When the auditor asks for the summary of Wuxi and Singapore as it stood before the conference of 5 May 2023 was recorded
    Then that summary shows no conference and no projects signed
    But the summary of Wuxi and Singapore shows 13 projects signed: 3 strategic and 10 industrial

  Scenario: The history of a partnership lists every event in order, with who recorded it and from what source
    When the auditor asks for the history of the partnership of Wuxi and Singapore
    Then the history lists, in order
      | event               |
      | established         |
      | initiative launched |
      | investment reported |
      | initiative launched |
    And every event of the history was recorded by the clerk from "PRNewswire, Beijing, 6 May 2023: Wuxi-Singapore development cooperation and exchange conference"

  Scenario: The log shows that nobody altered it
    When the auditor verifies the log
    Then the log is intact
