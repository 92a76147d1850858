import { CardsSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <CardsSkeleton heights={["h-40", "h-24", "h-20"]} />;
}
