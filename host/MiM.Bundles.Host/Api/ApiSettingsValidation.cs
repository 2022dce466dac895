using Microsoft.Extensions.Options;

namespace MiM.Bundles.Host.Api;

/// <summary>
/// Checks <see cref="ApiSettings"/> before the API starts; each failure names the setting. The rule that matters: an
/// address other than loopback needs both TLS (an https URL with a certificate) and an API key.
/// </summary>
public sealed class ApiSettingsValidation : IValidateOptions<ApiSettings>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ApiSettings options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem of <paramref name="settings"/>, each naming its setting; empty when the API may start.</summary>
    public static IReadOnlyList<string> Check(ApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var failures = new List<string>();
        if (!ApiAddress.TryParse(settings.Url, out var address, out var error))
        {
            failures.Add(error!);
            return failures;
        }

        var hasCertificate = !string.IsNullOrWhiteSpace(settings.CertificateFile);
        var hasKey = !string.IsNullOrEmpty(settings.ApiKey);
        if (!address!.IsLoopback && !(address.Https && hasCertificate && hasKey))
        {
            var missing = new List<string>();
            if (!address.Https || !hasCertificate)
            {
                missing.Add("TLS (an https:// Api:Url and Api:CertificateFile)");
            }

            if (!hasKey)
            {
                missing.Add("Api:ApiKey");
            }

            failures.Add($"Api:Url {settings.Url} is not a loopback address: the API listens there only with TLS and an API key; missing {string.Join(" and ", missing)}");
        }

        if (address.Https && !hasCertificate)
        {
            failures.Add($"Api:Url {settings.Url} is https but Api:CertificateFile is not set");
        }

        if (hasCertificate && !address.Https)
        {
            failures.Add($"Api:CertificateFile is set but Api:Url {settings.Url} is http: use https://");
        }

        if (hasCertificate && !File.Exists(settings.CertificateFile))
        {
            failures.Add($"Api:CertificateFile {settings.CertificateFile} does not exist");
        }

        if (settings.CertificateKeyFile is { Length: > 0 } key && !File.Exists(key))
        {
            failures.Add($"Api:CertificateKeyFile {key} does not exist");
        }

        if (hasKey && settings.ApiKey!.Length < ApiSettings.MinimumApiKeyLength)
        {
            failures.Add($"Api:ApiKey is shorter than {ApiSettings.MinimumApiKeyLength} characters");
        }

        if (settings.MinimumFreeDiskBytes < 0)
        {
            failures.Add($"Api:MinimumFreeDiskBytes must not be negative, is {settings.MinimumFreeDiskBytes}");
        }

        if (string.IsNullOrWhiteSpace(settings.DataDirectory))
        {
            failures.Add("Api:DataDirectory is empty");
        }

        return failures;
    }
}
