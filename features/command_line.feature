Feature: The citycoop command
  A clerk wants to record a whole press release from one file and check it
  on the command line, and a script wants the same answers as JSON, so that
  records and reports come from one place. A command that is refused must
  say why in one line and record nothing.

  Background:
    Given a file with the founding story, as the clerk would write it from the press release

  Scenario: The founding story is imported from a file, then read back as JSON
    When the clerk imports the file with the citycoop command
    Then the citycoop command succeeds
    And the partnerships listed as JSON by the citycoop command show Wuxi and Singapore with 13 projects signed
    And the conferences listed as JSON by the citycoop command show the conference of 5 May 2023 in Wuxi with nearly 200 guests

  Scenario: Importing the same file again records nothing new
    Given the clerk imported the file with the citycoop command
    When the clerk imports the file with the citycoop command
    Then the citycoop command succeeds
    And the log is exactly as it was

  Scenario Outline: A signing the command refuses says why in one line and records nothing
    Given the clerk imported the file with the citycoop command
    When the clerk signs <count> <category> projects for Wuxi and Singapore at <which conference>, with the citycoop command
    Then the citycoop command exits with status <status> and the one line "<message>"
    And the log is exactly as it was

    Examples:
      | count | category   | which conference                 | status | message                                                     |
      | 3     | strategic  | a conference that was never held | 1      | Error: conference: no conference                            |
      | 3     | strategic  | the conference of 5 May 2023     | 1      | Error: category: the strategic projects signed at           |
      | -3    | strategic  | the conference of 5 May 2023     | 2      | Error: --count: must be 1 or more                           |
      | 3     | diplomatic | the conference of 5 May 2023     | 2      | Error: Invalid value for '--category': 'diplomatic' is not one of |
