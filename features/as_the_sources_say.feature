Feature: The register says only what its sources say
  An auditor of the Wuxi partnership office wants the register to say no
  more than its sources do: a figure a source gives as a bound ("more than
  700 enterprises", "nearly 200 guests") stays that bound, and a fact that no
  source dates stays undated rather than taking the day it was typed in, so
  that nobody reads an exact count or an invented date into the record.

  Background:
    Given Wuxi (China) and Singapore (Singapore) became partners at the sister city stage in 1993
    And Wuxi hosted "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization" for Wuxi and Singapore on 5 May 2023 with nearly 200 guests

  Scenario: A fact that no source dates stays undated, and the timeline lists it first
    When the clerk records that Wuxi and Singapore launched the industrial park "Wuxi-Singapore Industrial Park"
    And the clerk records that "Wuxi Singapore Science and Technology Innovation City" was introduced at the conference of 5 May 2023
    And the clerk records that Wuxi and Singapore began to cooperate in finance
    Then the timeline of Wuxi and Singapore reads
      | when                            | what happened                                                                                                        |
      | undated                         | Wuxi-Singapore Industrial Park was launched (industrial-park)                                                        |
      | undated                         | finance became a field of cooperation                                                                                |
      | 1993                            | Wuxi and Singapore became partners (sister-city), since 1993                                                         |
      | 5 May 2023                      | Wuxi Singapore Cooperation and Development Conference on Urban Internationalization held in Wuxi on 5 May 2023, nearly 200 guests |
      | 5 May 2023 (from the conference) | Wuxi Singapore Science and Technology Innovation City was introduced                                                 |

  Scenario: Figures given as bounds stay bounds, and a correction can change the bound
    When the clerk records that Wuxi and Singapore reported more than 700 enterprises investing USD 16,400,000,000 as of 5 May 2023
    Then the summary of Wuxi and Singapore shows more than 700 enterprises investing USD 16,400,000,000 as of 5 May 2023
    And the conference register shows the conference of 5 May 2023 hosted by Wuxi with nearly 200 guests
    When the clerk corrects the number of enterprises reported by Wuxi and Singapore to at least 720, because "the ministry counts 720", citing "Wuxi Daily, 8 May 2023"
    Then the summary of Wuxi and Singapore shows at least 720 enterprises investing USD 16,400,000,000 as of 5 May 2023
    And the summary of Wuxi and Singapore says the figures were corrected, on the word of "Wuxi Daily, 8 May 2023"
