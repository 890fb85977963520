using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// The one home of the -UsageLocation rule. Graph takes a user's usageLocation as "a two-letter country code (ISO
    /// standard 3166)" (Microsoft Graph user resource, usageLocation property) and answers 400 "License assignment
    /// cannot be done for user with invalid usage location" for anything else (the answer public reports quote, e.g.
    /// microsoft/Partner-Center-DotNet-Samples issue 131). A code in this list can still be refused for a license with
    /// ProhibitedInUsageLocationViolation where the service is not sold.
    /// </summary>
    public static class UsageLocationCode
    {
        /// <summary>
        /// The 249 officially assigned ISO 3166-1 alpha-2 codes, as listed by the ISO 3166 Maintenance Agency
        /// (ISO Online Browsing Platform, https://www.iso.org/obp/ui/#search/code/, checked 2026-11-30). Exceptionally
        /// or transitionally reserved codes (EU, UK, XK, ...) are not country codes and are left out.
        /// </summary>
        private static readonly HashSet<string> Assigned = new HashSet<string>(StringComparer.Ordinal)
        {
            "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
            "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ",
            "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
            "DE", "DJ", "DK", "DM", "DO", "DZ",
            "EC", "EE", "EG", "EH", "ER", "ES", "ET",
            "FI", "FJ", "FK", "FM", "FO", "FR",
            "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY",
            "HK", "HM", "HN", "HR", "HT", "HU",
            "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
            "JE", "JM", "JO", "JP",
            "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
            "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
            "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
            "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
            "OM",
            "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
            "QA",
            "RE", "RO", "RS", "RU", "RW",
            "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ",
            "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
            "UA", "UG", "UM", "US", "UY", "UZ",
            "VA", "VC", "VE", "VG", "VI", "VN", "VU",
            "WF", "WS",
            "YE", "YT",
            "ZA", "ZM", "ZW",
        };

        public static int Count => Assigned.Count;

        public static bool IsAssigned(string code) => code != null && Assigned.Contains(code.Trim().ToUpperInvariant());

        /// <summary>
        /// The code in upper case, or null for null. Throws E4UpgradeException InvalidUsageLocation for anything that
        /// is not an assigned ISO 3166-1 alpha-2 code, before any write.
        /// </summary>
        public static string? Normalize(string? usageLocation)
        {
            if (usageLocation == null)
            {
                return null;
            }

            var code = usageLocation.Trim().ToUpperInvariant();
            if (!Assigned.Contains(code))
            {
                throw new E4UpgradeException(ErrorIds.InvalidUsageLocation, ErrorCategoryNames.InvalidArgument,
                    $"'{usageLocation}' is not a usage location Graph accepts: give an ISO 3166-1 alpha-2 country code such as US, DE or GB.");
            }

            return code;
        }
    }
}
