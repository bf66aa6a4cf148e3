using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.LocalHost;

/// <summary>What starts a function, read from its trigger attribute.</summary>
public abstract record FunctionTrigger;

public sealed record HttpFunctionTrigger(string Route, IReadOnlyList<string> Methods) : FunctionTrigger;

public sealed record QueueFunctionTrigger(string QueueName) : FunctionTrigger;

public sealed record TimerFunctionTrigger(string Schedule, bool RunOnStartup) : FunctionTrigger;

/// <summary>One function: its name, the class and method that implement it, and its trigger.</summary>
public sealed record FunctionDescriptor(string Name, Type Type, MethodInfo Method, FunctionTrigger Trigger);

/// <summary>
/// The functions of an assembly, discovered the way the Functions SDK does: public methods with [Function] whose trigger
/// parameter carries [HttpTrigger], [QueueTrigger] or [TimerTrigger]. Routes get host.json's route prefix.
/// </summary>
public sealed class FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions, HostJson hostJson)
{
    public IReadOnlyList<FunctionDescriptor> Functions { get; } = functions;

    public HostJson HostJson { get; } = hostJson;

    public static FunctionCatalog Discover(Assembly assembly, HostJson hostJson)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(hostJson);
        var functions = new List<FunctionDescriptor>();
        foreach (var type in assembly.GetExportedTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                functions.Add(new FunctionDescriptor(function.Name, type, method, TriggerOf(method, hostJson)));
            }
        }

        var duplicates = functions.GroupBy(f => f.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return duplicates.Count == 0 ? new FunctionCatalog(functions, hostJson) : throw new InvalidOperationException("Duplicate function names: " + string.Join(", ", duplicates));
    }

    private static FunctionTrigger TriggerOf(MethodInfo method, HostJson hostJson)
    {
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                if (parameter.ParameterType != typeof(HttpRequest))
                {
                    throw new NotSupportedException($"{method.Name}: the local host binds HTTP triggers to HttpRequest (ASP.NET Core integration).");
                }

                var route = http.Route ?? method.GetCustomAttribute<FunctionAttribute>()!.Name;
                var prefixed = string.IsNullOrEmpty(hostJson.RoutePrefix) ? route : hostJson.RoutePrefix + "/" + route;
                var methods = http.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
                return new HttpFunctionTrigger(prefixed, methods);
            }

            if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queue)
            {
                return new QueueFunctionTrigger(queue.QueueName);
            }

            if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                return new TimerFunctionTrigger(timer.Schedule, timer.RunOnStartup);
            }
        }

        throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name} has a trigger the local host does not run.");
    }
}

/// <summary>The parts of host.json the local host honours.</summary>
public sealed record HostJson(string RoutePrefix, int MaxDequeueCount, TimeSpan VisibilityTimeout)
{
    public static HostJson Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var extensions = doc.RootElement.TryGetProperty("extensions", out var e) ? e : default;
        string? prefix = null;
        var maxDequeue = 5;
        var visibility = TimeSpan.Zero;
        if (extensions.ValueKind == JsonValueKind.Object)
        {
            if (extensions.TryGetProperty("http", out var http) && http.TryGetProperty("routePrefix", out var p))
            {
                prefix = p.GetString();
            }

            if (extensions.TryGetProperty("queues", out var queues))
            {
                if (queues.TryGetProperty("maxDequeueCount", out var m))
                {
                    maxDequeue = m.GetInt32();
                }

                if (queues.TryGetProperty("visibilityTimeout", out var v))
                {
                    visibility = TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return new HostJson((prefix ?? "api").Trim('/'), maxDequeue, visibility);
    }
}
