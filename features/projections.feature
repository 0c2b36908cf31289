Feature: Read models rebuilt from the log
  Services that read the partnership summary, the conference register and
  the city directory want to trust them: whatever is served live must be
  exactly what the log says, so that a read model rebuilt from nothing
  equals the one that was kept up to date event by event.

  Background:
    Given the founding story is on record
    And the read models have caught up with the log

  Scenario: A rebuilt read model equals the live one
    When the read models are rebuilt from the log
    Then every read model holds exactly what it held before the rebuild

  Scenario: A correction shows in the live and in the rebuilt read models alike
    When the clerk corrects the attendance at the conference of 5 May 2023 to 210, because "the guest list holds nearly 210 names"
    And the read models have caught up with the log
    And the read models are rebuilt from the log
    Then every read model holds exactly what it held before the rebuild
    And the conference register shows the conference of 5 May 2023 hosted by Wuxi with nearly 210 guests
