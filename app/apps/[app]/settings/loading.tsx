import { CardsSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <CardsSkeleton heights={["h-32", "h-40"]} />;
}
