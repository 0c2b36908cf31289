Feature: Correcting what was recorded wrongly
  An auditor wants a wrong figure corrected without erasing it, so that
  everyone reads the right figure, and the history still shows what was
  recorded before, who corrected it and why.

  Background:
    Given Wuxi (China) and Singapore (Singapore) became partners at the sister city stage in 1993
    And Wuxi hosted "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization" for Wuxi and Singapore on 5 May 2023 with 2000 guests

  Scenario: A wrong attendance is corrected, and the history keeps both figures
    When the clerk corrects the attendance at the conference of 5 May 2023 to 200, because "the press release says nearly 200 guests, not 2000"
    Then the conference register shows the conference of 5 May 2023 hosted by Wuxi with 200 guests
    And the history of the conference of 5 May 2023 shows the attendance as
      | event     | attendance |
      | held      | 2000       |
      | corrected | 200        |

  Scenario: A wrong number of enterprises is corrected in the partnership summary
    Given Wuxi and Singapore reported 70 enterprises investing USD 16,400,000,000 as of 5 May 2023
    When the clerk corrects the number of enterprises reported by Wuxi and Singapore to 700, because "a zero was lost in typing"
    Then the summary of Wuxi and Singapore shows 700 enterprises investing USD 16,400,000,000 as of 5 May 2023

  Scenario: A correction can itself be corrected
    Given the clerk corrected the attendance at the conference of 5 May 2023 to 20, because "typing error"
    When the clerk corrects the attendance at the conference of 5 May 2023 to 200, because "the press release says nearly 200 guests"
    Then the conference register shows the conference of 5 May 2023 hosted by Wuxi with 200 guests
    And the history of the conference of 5 May 2023 shows the attendance as
      | event     | attendance |
      | held      | 2000       |
      | corrected | 20         |
      | corrected | 200        |

  Scenario: A correction without a reason is refused
    When the clerk corrects the attendance at the conference of 5 May 2023 to 200, because ""
    Then the clerk is told "reason: cannot be empty"
    And the log is exactly as it was

  Scenario: A correction with a negative attendance is refused
    When the clerk corrects the attendance at the conference of 5 May 2023 to -200, because "a sign slipped in"
    Then the clerk is told "value: cannot be negative"
    And the log is exactly as it was

  Scenario: A partnership is not corrected to have begun after its own conference
    When the clerk corrects the date Wuxi and Singapore became partners to June 2023, because "misread the minutes"
    Then the clerk is told "the partnership cannot have begun on 2023-06, after the conference 'Wuxi Singapore Cooperation and Development Conference on Urban Internationalization' (2023-05-05)"
    And the log is exactly as it was

  Scenario: A partnership corrected to have begun earlier keeps its conference
    When the clerk corrects the date Wuxi and Singapore became partners to 1992, because "the councils signed in December 1992"
    Then the partnership of Wuxi and Singapore is at the sister city stage since 1992
