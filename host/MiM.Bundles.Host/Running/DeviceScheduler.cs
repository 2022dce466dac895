namespace MiM.Bundles.Host.Running;

/// <summary>
/// Places bundle versions on devices and admits jobs by memory: a job waits until its device has the memory its
/// bundle estimates (<see cref="Contracts.Bundles.IBundle.EstimateMemory"/>); a job that can never fit is refused.
/// The default is the CPU alone; at a GPU site the devices come from NVML (`mim info` lists them).
/// </summary>
public sealed class DeviceScheduler
{
    private readonly Dictionary<string, long> _free;
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<ComputeDevice> _devices;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A scheduler over <paramref name="devices"/>.</summary>
    public DeviceScheduler(IReadOnlyList<ComputeDevice> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0)
        {
            throw new ArgumentException("at least one device is needed", nameof(devices));
        }

        _devices = devices;
        _free = devices.ToDictionary(d => d.Name, d => d.MemoryBytes, StringComparer.Ordinal);
    }

    /// <summary>The CPU alone.</summary>
    public static DeviceScheduler CpuOnly() => new([ComputeDevice.Cpu]);

    /// <summary>The devices.</summary>
    public IReadOnlyList<ComputeDevice> Devices => _devices;

    /// <summary>Free memory of <paramref name="device"/> now.</summary>
    public long FreeBytes(string device)
    {
        lock (_gate)
        {
            return _free[device];
        }
    }

    /// <summary>The device with the most free memory, for a bundle version about to load.</summary>
    public string Place()
    {
        lock (_gate)
        {
            return _free.MaxBy(kv => kv.Value).Key;
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> on <paramref name="device"/>, waiting for jobs that hold it to finish.</summary>
    /// <exception cref="InvalidOperationException">The job needs more than the device has at all.</exception>
    public async Task<IDisposable> AcquireAsync(string device, long bytes, CancellationToken cancellationToken)
    {
        var capacity = _devices.First(d => d.Name == device).MemoryBytes;
        if (bytes > capacity)
        {
            throw new InvalidOperationException($"the job needs {bytes} bytes on {device}, which has {capacity}");
        }

        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (_free[device] >= bytes)
                {
                    _free[device] -= bytes;
                    return new Reservation(this, device, bytes);
                }

                released = _released.Task;
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Release(string device, long bytes)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            _free[device] += bytes;
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    private sealed class Reservation(DeviceScheduler scheduler, string device, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                scheduler.Release(device, bytes);
            }
        }
    }
}
