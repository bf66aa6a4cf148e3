using System.Text.Json;

namespace ELicence.Core.Serialization;

/// <summary>Reads queue messages without trusting them: anything that is not the expected JSON is null, never an exception.</summary>
public static class QueueMessages
{
    public static T? TryRead<T>(string? message)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        try
        {
            return ElicenceJson.Deserialize<T>(message);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
