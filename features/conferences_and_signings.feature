Feature: Conferences and the projects signed at them
  The partnership office wants every conference on record, and every
  signing counted once, for the partnership whose conference it was, so
  that the number of projects it publishes adds up.

  Background:
    Given Wuxi (China) and Singapore (Singapore) became partners at the sister city stage in 1993
    And Wuxi hosted "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization" for Wuxi and Singapore on 5 May 2023 with about 200 guests

  Scenario: Projects signed at a conference are recorded by category
    When the clerk records that 3 strategic projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    And the clerk records that 10 industrial projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    Then 3 strategic projects are on record as signed at the conference of 5 May 2023
    And 10 industrial projects are on record as signed at the conference of 5 May 2023

  Scenario: A project introduced at a conference is on record with it
    When the clerk records that "Wuxi Singapore Science and Technology Innovation City" was introduced at the conference of 5 May 2023
    Then the conference of 5 May 2023 introduced "Wuxi Singapore Science and Technology Innovation City"

  Scenario: Signing at a conference that was never held is refused
    When the clerk records that 3 strategic projects were signed for Wuxi and Singapore at a conference that was never held
    Then the clerk is told "was ever held"
    And the log is exactly as it was

  Scenario: Signing at a conference of another partnership is refused
    Given Suzhou (China) and Singapore (Singapore) became partners at the friendship city stage in 1994
    And Singapore hosted "Suzhou Singapore Business Forum" for Suzhou and Singapore on 12 October 2023
    When the clerk records that 2 industrial projects were signed for Wuxi and Singapore at the conference of 12 October 2023
    Then the clerk is told "was held for another partnership, not Wuxi–Singapore"
    And the log is exactly as it was

  Scenario Outline: A signing must count at least one project
    When the clerk records that <count> strategic projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    Then the clerk is told "count: must be 1 or more"
    And the log is exactly as it was

    Examples:
      | count |
      | 0     |
      | -3    |

  Scenario: A signing in an unknown category is refused
    When the clerk records that 3 diplomatic projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    Then the clerk is told "'diplomatic' is not one of: strategic, industrial, investment"
    And the log is exactly as it was

  Scenario: The signings of one category at one conference are recorded only once
    Given 3 strategic projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    When the clerk records that 3 strategic projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    Then the clerk is told "are on record already; correct their count instead"
    And the log is exactly as it was

  Scenario: Named projects fill in the count but never exceed it
    Given 2 strategic projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    And the strategic projects signed at the conference of 5 May 2023 include "Wuxi Singapore Science and Technology Innovation City"
    And the strategic projects signed at the conference of 5 May 2023 include "Wuxi-Singapore Industrial Park"
    When the clerk records that the strategic projects signed at the conference of 5 May 2023 include "A third project"
    Then the clerk is told "all 2 strategic projects of this signing are named already"
    And the log is exactly as it was

  Scenario: A conference with a negative number of guests is refused
    When the clerk records that Wuxi hosted "Wuxi Singapore Forum" for Wuxi and Singapore on 6 May 2023 with -200 guests
    Then the clerk is told "attendance: cannot be negative"
    And the log is exactly as it was
