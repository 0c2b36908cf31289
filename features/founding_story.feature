Feature: The founding story of Wuxi and Singapore
  The partnership office of Wuxi wants the story of the 2023 conference on
  record exactly as the press release of 6 May 2023 tells it, so that
  everyone who works on the partnership reads the same facts and figures:
  thirty years of cooperation, nearly 200 guests, 13 projects signed, more
  than 700 enterprises and US$16.4 billion invested.

  Scenario: The 2023 conference is recorded from the press release, fact by fact
    When the clerk records that Wuxi (China) and Singapore (Singapore) became partners at the sister city stage in 1993, cooperating in
      | science and technology |
      | economy and trade      |
      | culture and arts       |
    And the clerk records that Wuxi and Singapore launched the industrial park "Wuxi-Singapore Industrial Park"
    And the clerk records that Wuxi hosted "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization" for Wuxi and Singapore on 5 May 2023 with nearly 200 guests, among them people from
      | Singapore Changi Airport Group |
      | Singapore Exchange (SGX)       |
      | DHL Asia Pacific Headquarters  |
    And the clerk records that "Wuxi Singapore Science and Technology Innovation City" was introduced at the conference of 5 May 2023
    And the clerk records that 3 strategic projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    And the clerk records that 10 industrial projects were signed for Wuxi and Singapore at the conference of 5 May 2023
    And the clerk records that Wuxi and Singapore reported more than 700 enterprises investing USD 16,400,000,000 as of 5 May 2023
    And the clerk records that Wuxi and Singapore launched the innovation city "Wuxi Singapore Science and Technology Innovation City"
    Then the partnership of Wuxi and Singapore is at the sister city stage since 1993
    And the partnership of Wuxi and Singapore covers
      | science and technology |
      | economy and trade      |
      | culture and arts       |
    And the conference of 5 May 2023 was hosted by Wuxi with nearly 200 guests, among them people from
      | Singapore Changi Airport Group |
      | Singapore Exchange (SGX)       |
      | DHL Asia Pacific Headquarters  |
    And the summary of Wuxi and Singapore shows 13 projects signed: 3 strategic and 10 industrial
    And the summary of Wuxi and Singapore shows more than 700 enterprises investing USD 16,400,000,000 as of 5 May 2023

  Scenario: The partnership summary shows what the conference achieved
    Given the founding story is on record
    Then the summary of Wuxi and Singapore shows 13 projects signed: 3 strategic and 10 industrial
    And the summary of Wuxi and Singapore shows 1 conference
    And the summary of Wuxi and Singapore shows more than 700 enterprises investing USD 16,400,000,000 as of 5 May 2023
    And the summary of Wuxi and Singapore shows the initiatives
      | Wuxi-Singapore Industrial Park                        |
      | Wuxi Singapore Science and Technology Innovation City |

  Scenario: The conference register shows the conference of 5 May 2023
    Given the founding story is on record
    Then the conference register shows the conference of 5 May 2023 hosted by Wuxi with nearly 200 guests
    And the conference register shows 3 strategic and 10 industrial projects signed at the conference of 5 May 2023
    And the conference register shows guests at the conference of 5 May 2023 from
      | Singapore Changi Airport Group |
      | Singapore Exchange (SGX)       |
      | DHL Asia Pacific Headquarters  |

  Scenario Outline: The city directory shows each city with its partner
    Given the founding story is on record
    Then the city directory shows <city> as a partner of <partner> sharing 13 projects

    Examples:
      | city      | partner   |
      | Wuxi      | Singapore |
      | Singapore | Wuxi      |
