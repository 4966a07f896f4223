import { buildSimulatorImage } from "@mina-local/daemon-sim";
import { MinaLocalError } from "@mina-local/engine";
import { imageExists } from "@mina-local/image-builder";

/**
 * The image every node runs: --mina-image, else $MINA_IMAGE, else the simulator image
 * (built on demand from this machine's Node runtime, since no registry is reachable).
 */
export async function resolveMinaImage(requested: string | undefined, onProgress: (line: string) => void): Promise<string> {
  const image = requested ?? process.env.MINA_IMAGE;
  if (!image) return (await buildSimulatorImage({ onProgress })).tag;
  if (!(await imageExists(image))) {
    throw new MinaLocalError("setup", `the image ${image} is not on this machine`, {
      hint: `load or build it first (\`docker load -i <file>\` or \`docker build -t ${image} .\`); no registry is used, so it cannot be pulled. Leave out --mina-image to use the simulator image`,
    });
  }
  return image;
}
