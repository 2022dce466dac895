"""PyTorch's half of the side-by-side benchmark (issue 15); the C# bench (`-- pytorch`) writes the inputs and reads the answer.

Usage: python3 side_by_side.py --fixtures DIR --config CONFIG.json --weights W.safetensors --io IO.safetensors
       [--threads 2] [--repeats 5]
First proves the PyTorch network against the authors' fixture outputs, then times, on the same weights, input, mask
and thread count as the C# run: the encoder forward with every token visible (inference), and one reconstruction
forward + backward on the masked input. Prints one JSON line: medians, and the largest differences from the C#
outputs in IO (`encoder_all`, `loss`, `grad.<name>`).
"""

import argparse
import json
import statistics
import sys
import time

import torch

import mim_torch


def median_seconds(repeats, run):
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", required=True, help="folder of the authors' reference outputs (mim_reference)")
    parser.add_argument("--config", required=True, help="JSON sizes of the network")
    parser.add_argument("--weights", required=True, help="state dict under the authors' names (safetensors)")
    parser.add_argument("--io", required=True, help="x, mask and the C# outputs (safetensors)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    fixture_difference = mim_torch.check_fixtures(args.fixtures)
    if fixture_difference > 1e-5:
        sys.exit(f"the PyTorch network differs from the authors' outputs by {fixture_difference:.2e}: not timing it")

    network = mim_torch.MimNetwork.from_config(json.load(open(args.config)))
    network.load(mim_torch.read_safetensors(args.weights))
    io = mim_torch.read_safetensors(args.io)
    x, mask = io["x"], io["mask"]

    network.eval()
    with torch.inference_mode():
        encoder_all, _, _ = network.encode(x)
        encoder_seconds = median_seconds(args.repeats, lambda: network.encode(x))

    network.train()

    def step():
        network.zero_grad(set_to_none=True)
        loss = network.reconstruction_loss(x, mask)
        loss.backward()
        return loss

    step_seconds = median_seconds(args.repeats, step)
    loss = step()

    worst_gradient, worst_name = 0.0, ""
    for name, parameter in network.named_parameters():
        key = "grad." + name
        if parameter.grad is None or key not in io:
            continue
        # Relative to the tensor's largest gradient: gradients span orders of magnitude between layers.
        relative = float((parameter.grad - io[key]).abs().max() / io[key].abs().max().clamp_min(1e-30))
        if relative > worst_gradient:
            worst_gradient, worst_name = relative, name

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "fixture_max_abs": fixture_difference,
        "encoder_forward_s": encoder_seconds,
        "encoder_max_abs": float((encoder_all - io["encoder_all"]).abs().max()),
        "step_s": step_seconds,
        "loss": float(loss),
        "loss_abs": abs(float(loss) - float(io["loss"].reshape(-1)[0])),
        "gradient_max_relative": worst_gradient,
        "gradient_worst": worst_name,
    }))


if __name__ == "__main__":
    main()
