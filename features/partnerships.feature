Feature: Partnerships between cities
  The partnership office wants each partnership on record once, with how
  formal it is, what it covers and what it has achieved, so that nobody
  reads an outdated stage, a field counted twice, or news about a
  partnership that has already ended.

  Background:
    Given Wuxi (China) and Singapore (Singapore) became partners at the sister city stage in 1993

  Scenario: A partnership moves to another stage
    Given Wuxi (China) and Osaka (Japan) became partners at the letter of intent stage in 2011
    When the clerk records that Wuxi and Osaka moved to the friendship city stage on 12 March 2015
    Then the partnership of Wuxi and Osaka is at the friendship city stage since 2011

  Scenario: Moving a partnership to the stage it is already at is refused
    When the clerk records that Wuxi and Singapore moved to the sister city stage on 5 May 2023
    Then the clerk is told "already at stage 'sister-city'"
    And the log is exactly as it was

  Scenario: A partnership between a city and itself is refused
    When the clerk records that Wuxi (China) and Wuxi (China) became partners at the sister city stage in 1993
    Then the clerk is told "a partnership needs two different cities"
    And the log is exactly as it was

  Scenario: The same two cities cannot become partners twice
    When the clerk records that Singapore (Singapore) and Wuxi (China) became partners at the friendship city stage in 2003
    Then the clerk is told "already have a partnership on record"
    And the log is exactly as it was

  Scenario: A field of cooperation is added once
    When the clerk records that Wuxi and Singapore began to cooperate in science and technology
    And the clerk records that Wuxi and Singapore began to cooperate in economy and trade
    Then the partnership of Wuxi and Singapore covers
      | science and technology |
      | economy and trade      |

  Scenario: The same field of cooperation cannot be added twice
    Given Wuxi and Singapore began to cooperate in culture and arts
    When the clerk records that Wuxi and Singapore began to cooperate in culture and arts
    Then the clerk is told "is already a field of this partnership"
    And the log is exactly as it was

  Scenario: A field of cooperation outside the vocabulary is refused
    When the clerk records that Wuxi and Singapore began to cooperate in astrology
    Then the clerk is told "'astrology' is not one of: trade, economy-and-trade"
    And the log is exactly as it was

  Scenario: The latest investment figures replace the earlier ones
    Given Wuxi and Singapore reported 650 enterprises investing USD 15,000,000,000 as of 2022
    When the clerk records that Wuxi and Singapore reported 700 enterprises investing USD 16,400,000,000 as of 5 May 2023
    Then the partnership of Wuxi and Singapore reports 700 enterprises investing USD 16,400,000,000 as of 5 May 2023

  Scenario Outline: Investment figures below zero are refused
    When the clerk records that Wuxi and Singapore reported <enterprises> enterprises investing USD <amount> as of 5 May 2023
    Then the clerk is told "<problem>"
    And the log is exactly as it was

    Examples:
      | enterprises | amount          | problem                         |
      | -700        | 16,400,000,000  | enterprises: cannot be negative |
      | 700         | -16,400,000,000 | amount: cannot be negative      |

  Scenario: An initiative of an unknown kind is refused
    When the clerk records that Wuxi and Singapore launched the space station "Wuxi Orbital"
    Then the clerk is told "'space-station' is not one of: industrial-park, innovation-city"
    And the log is exactly as it was

  Scenario: A suspended partnership can be resumed
    Given Wuxi and Singapore suspended their partnership on 1 February 2020
    When the clerk records that Wuxi and Singapore resumed their partnership on 1 March 2023
    Then the partnership of Wuxi and Singapore is active

  Scenario: Only a suspended partnership can be resumed
    When the clerk records that Wuxi and Singapore resumed their partnership on 1 March 2023
    Then the clerk is told "the partnership is active, so it cannot become active"
    And the log is exactly as it was

  Scenario Outline: What cannot be true is refused
    When the clerk records that <what happened>
    Then the clerk is told "<why>"
    And the log is exactly as it was

    Examples:
      | what happened                                                                                 | why                                                     |
      | Wuxi and Singapore moved to the friendship city stage on 2 January 1900                       | 1900-01-02 is before the partnership began (1993)       |
      | Wuxi and Singapore suspended their partnership on 2 January 2999                              | 2999-01-02 is after the day it is recorded on           |
      | Wuxi hosted "Wuxi Singapore Forum" for Wuxi and Singapore on 5 May 1990                        | 1990-05-05 is before the partnership began (1993)       |
      | Wuxi and Singapore reported 800 enterprises investing ZZZ 17,000,000,000 as of 2 January 2024 | 'ZZZ' is not the ISO 4217 code of a currency in use     |

  Scenario Outline: Nothing more is recorded on a partnership that has ended
    Given Wuxi hosted "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization" for Wuxi and Singapore on 5 May 2023 with about 200 guests
    And Wuxi and Singapore ended their partnership on 1 January 2025
    When the clerk records that <what happened>
    Then the clerk is told "ended on 2025-01-01; nothing more can be recorded on it"
    And the log is exactly as it was

    Examples:
      | what happened                                                                                |
      | Wuxi and Singapore began to cooperate in tourism                                             |
      | Wuxi and Singapore moved to the friendship city stage on 2 January 2025                      |
      | Wuxi and Singapore reported 800 enterprises investing USD 17,000,000,000 as of 2 January 2025 |
      | Wuxi and Singapore launched the innovation zone "Wuxi Singapore Innovation Zone"             |
      | Wuxi and Singapore suspended their partnership on 2 January 2025                             |
      | Wuxi hosted "Wuxi Singapore Forum" for Wuxi and Singapore on 2 January 2025                   |
      | 3 strategic projects were signed for Wuxi and Singapore at the conference of 5 May 2023      |
      | "Wuxi Singapore Science and Technology Innovation City" was introduced at the conference of 5 May 2023 |
