namespace ELicence.Functions.Composition;

/// <summary>A queue message that is not what its queue carries: said clearly, then retried into the poison queue like any failure.</summary>
public static class MalformedMessages
{
    public static FormatException Reject(ILogger logger, string queue, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        logger.LogError("A malformed message on {Queue}: {Message}", queue, message.Length > 200 ? message[..200] : message);
        return new FormatException($"The {queue} message is not valid.");
    }
}
