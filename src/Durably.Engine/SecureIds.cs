using System.Security.Cryptography;

namespace Durably.Engine;

/// <summary>Unguessable identifiers (checkpoint tokens, callback ids) from a cryptographic RNG.</summary>
internal static class SecureIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>32 characters of <c>[A-Za-z0-9]</c> (about 190 bits): valid base64 alphabet, nothing to URL-escape.</summary>
    public static string Create() => RandomNumberGenerator.GetString(Alphabet, 32);
}
